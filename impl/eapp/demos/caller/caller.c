/* caller (seed 001 server tutorial, seed 003 IPC tutorial; PGL SDK demo/IPC/caller): reads the host
 * shm (a0/a1) and its relay page (a3/a4), acquires "test-server1" (else "test-server"), gets its
 * own and the server's report, fills a 4-page eapp_mmap region with 1s and call_enclave()s the
 * server with it — or, when the host gave a relay page of 4 pages or more, that relay page (ownership
 * moves to the callee and back, PGL §3.3, §4.7). Returns resp_val (3 through
 * server1, 2 straight from server), or -1 if no server exists or the call fails. */
#include "eapp.h"
#include "print.h"
#include <stdlib.h>
#include <string.h>

#define REQ_SIZE (4 * 4096UL)

static unsigned long sum_ints(const int* p, unsigned long bytes) {
  unsigned long sum = 0;
  for (unsigned long i = 0; p && i < bytes / sizeof(int); i++) sum += p[i];
  return sum;
}

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  printf("caller: begin, shm sum 0x%lx, relay page sum 0x%lx\n", sum_ints((int*)args[10], args[11]),
         sum_ints((int*)args[13], args[14]));

  int via_server1 = 1;
  char server_name[16] = {0}; /* names are compared as 16 bytes (PGL §3.3) */
  strcpy(server_name, "test-server1");
  unsigned long handle = acquire_enclave(server_name);
  if (handle == -1UL) {
    strcpy(server_name, "test-server");
    handle = acquire_enclave(server_name);
    via_server1 = 0;
  }
  if (handle == -1UL) {
    printf("caller: no server enclave\n");
    EAPP_RETURN(-1UL);
  }

  struct report_t* report = malloc(sizeof(struct report_t));
  int own = get_report(NULL, report, 1234);
  int theirs = get_report(server_name, report, 1234);
  printf("caller: handle 0x%lx (%s), reports %d %d\n", handle, server_name, own, theirs);
  free(report);

  /* the request region: the relay page when the host gave one (it then travels down the chain and
   * back, PGL §4.7), else a fresh eapp_mmap region */
  int* nums = args[13] && args[14] >= REQ_SIZE ? (int*)args[13] : eapp_mmap(NULL, REQ_SIZE);
  if (!nums) EAPP_RETURN(-1UL);
  for (unsigned long i = 0; i < REQ_SIZE / sizeof(int); i++) nums[i] = 1;

  struct call_enclave_arg_t call_arg;
  memset(&call_arg, 0, sizeof call_arg);
  call_arg.req_arg = 0x19960000UL;
  call_arg.req_vaddr = (unsigned long)nums;
  call_arg.req_size = REQ_SIZE;
  if (call_enclave(handle, &call_arg) != 0) {
    printf("caller: call_enclave failed\n");
    EAPP_RETURN(-1UL);
  }
  if (call_arg.req_vaddr)
    printf("caller: request region after the call: sum 0x%lx\n", sum_ints((int*)call_arg.req_vaddr, REQ_SIZE));
  if (call_arg.resp_vaddr)
    printf("caller: response region: sum 0x%lx\n", sum_ints((int*)call_arg.resp_vaddr, call_arg.resp_size));
  printf("caller: %s returned 0x%lx\n", via_server1 ? "server1" : "server", call_arg.resp_val);
  EAPP_RETURN(call_arg.resp_val);
}
