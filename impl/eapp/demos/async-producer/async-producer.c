/* async-producer, "A" of the asynchronous pipeline (PGL §4.7): started with a relay region of at
 * least 2 pages (a3/a4), fills its first half with 1s and its second half with 2s, splits it at the
 * middle page (split_mem_region, fid 92) and hands each half to a named enclave that does not run
 * yet (asyn_enclave_call, fid 93): the first to "async-b", the second to "async-c". Those start
 * later with the region at 0x38_0000_0000. Returns 0, or the number of failed calls. */
#include "eapp.h"
#include "print.h"

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  unsigned long relay = args[13], size = args[14];
  if (!relay || size < 2 * RISCV_PAGE_SIZE) {
    printf("async-producer: needs a relay region of 2 pages or more\n");
    EAPP_RETURN(-1UL);
  }
  unsigned long half = (size / 2) & ~(RISCV_PAGE_SIZE - 1UL);
  for (unsigned long i = 0; i < size / sizeof(int); i++) ((int*)relay)[i] = i < half / sizeof(int) ? 1 : 2;
  unsigned long failed = 0;
  if (split_mem_region(relay, size, relay + half) != 0) failed++;
  struct call_enclave_arg_t to_b = {.req_arg = 1, .req_vaddr = relay, .req_size = half};
  struct call_enclave_arg_t to_c = {.req_arg = 2, .req_vaddr = relay + half, .req_size = size - half};
  char b_name[16] = "async-b", c_name[16] = "async-c"; /* 16 bytes, zero-padded (PGL §4.7) */
  if (asyn_enclave_call(b_name, &to_b) != 0) failed++;
  if (asyn_enclave_call(c_name, &to_c) != 0) failed++;
  printf("async-producer: split 0x%lx+0x%lx at +0x%lx, handed to async-b and async-c, %lu failed\n", relay,
         size, half, failed);
  EAPP_RETURN(failed);
}
