/* server1, "test-server1" (seed 001; PGL SDK demo/IPC/server1): a server that is itself a caller.
 * Adds 1 to every int of the request region, gets test-server's report, calls test-server with the
 * same region (a nested chain, PGL §3.3), and returns its response region with resp_val = 3
 * (resp_val = -1 if test-server is missing). */
#include "eapp.h"
#include "print.h"
#include <stdlib.h>
#include <string.h>

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  unsigned long arg0 = args[10];
  int* req = (int*)args[11];
  unsigned long req_size = args[12];
  unsigned long sum = arg0;
  for (unsigned long i = 0; req && i < req_size / sizeof(int); i++) {
    sum += req[i];
    req[i] += 1;
  }
  printf("server1: request arg 0x%lx, sum 0x%lx\n", arg0, sum);

  char server_name[16] = {0}; /* names are compared as 16 bytes (PGL §3.3) */
  strcpy(server_name, "test-server");
  struct report_t* report = malloc(sizeof(struct report_t));
  int rep = get_report(server_name, report, 1);
  printf("server1: test-server report %d, signature starts 0x%x\n", rep, *(unsigned int*)report->enclave.signature);
  free(report);

  struct call_enclave_arg_t call_arg = {0};
  unsigned long handle = acquire_enclave(server_name);
  if (handle == -1UL) {
    call_arg.resp_val = -1UL;
    SERVER_RETURN(&call_arg);
  }
  call_arg.req_arg = arg0;
  call_arg.req_vaddr = (unsigned long)req;
  call_arg.req_size = req_size;
  call_enclave(handle, &call_arg);
  if (call_arg.resp_vaddr) {
    unsigned long rsum = 0;
    for (unsigned long i = 0; i < call_arg.resp_size / sizeof(int); i++) rsum += ((int*)call_arg.resp_vaddr)[i];
    printf("server1: response from test-server: sum 0x%lx, resp_val 0x%lx\n", rsum, call_arg.resp_val);
  }
  call_arg.resp_val = 3;
  SERVER_RETURN(&call_arg);
}
