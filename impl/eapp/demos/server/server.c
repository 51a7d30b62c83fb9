/* server, "test-server" (seed 001; PGL SDK demo/IPC/server): entered at _start on every call with
 * a0 = req_arg, a1/a2 = the request region moved into it (PGL §3.3). Sums the request, answers with
 * a fresh 4-page region of 2s and resp_val = 2 through SERVER_RETURN. */
#include "eapp.h"
#include "print.h"

#define RESP_SIZE (4 * 4096UL)

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  unsigned long arg0 = args[10];
  int* req = (int*)args[11];
  unsigned long req_size = args[12];
  unsigned long sum = arg0;
  for (unsigned long i = 0; req && i < req_size / sizeof(int); i++) sum += req[i];
  printf("server: request arg 0x%lx, sum 0x%lx\n", arg0, sum);

  struct call_enclave_arg_t ret_arg = {0};
  ret_arg.req_vaddr = (unsigned long)req;
  ret_arg.req_size = req_size;
  int* resp = eapp_mmap(0, RESP_SIZE);
  if (resp) {
    for (unsigned long i = 0; i < RESP_SIZE / sizeof(int); i++) resp[i] = 2;
    ret_arg.resp_vaddr = (unsigned long)resp;
    ret_arg.resp_size = RESP_SIZE;
  }
  ret_arg.resp_val = 2;
  printf("server: return 0x%lx\n", ret_arg.resp_val);
  SERVER_RETURN(&ret_arg);
}
