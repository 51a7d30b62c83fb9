/* C wrappers over the raw stubs (PGL §2.2 fids 88–97, §2.3 ocalls 1, 2, 5–8). Each performs
 * exactly one ecall. Unlike Penglai's eapp_mmap, a failed mapping returns NULL instead of retrying
 * forever (the monitor answers 0 for a refused vaddr/size, PGL §2.3 id 1). */
#include "eapp.h"
#include "ocall.h"
#include "sys/random.h"

void* eapp_mmap(void* vaddr, unsigned long size) { return EAPP_MMAP(OCALL_MMAP, vaddr, size); }

int eapp_unmap(void* vaddr, unsigned long size) { return EAPP_UNMAP(OCALL_UNMAP, vaddr, size); }

int eapp_return_relay_page() { return EAPP_RETURN_RELAY_PAGE(OCALL_RETURN_RELAY_PAGE); }

int eapp_persistency_read_sec(unsigned long sec) { return EAPP_PERSISTENCY_READ_SEC(OCALL_READ_SECT, sec); }

int eapp_persistency_write_sec(unsigned long sec) { return EAPP_PERSISTENCY_WRITE_SEC(OCALL_WRITE_SECT, sec); }

unsigned long split_mem_region(unsigned long mem_addr, unsigned long mem_size, unsigned long split_addr) {
  return EAPP_SPLIT_MEM_REGION(mem_addr, mem_size, split_addr);
}

unsigned long asyn_enclave_call(char* name, struct call_enclave_arg_t* arg) {
  return EAPP_ASYN_ENCLAVE_CALL(name, arg);
}

int get_report(char* name, struct report_t* report, unsigned long nonce) {
  return EAPP_GET_REPORT(name, report, nonce);
}

int get_key(int key_type, char* key, int key_size) { return EAPP_GET_KEY(key_type, key, key_size); }

unsigned long acquire_enclave(char* name) { return EAPP_ACQUIRE_ENCLAVE(name); }

unsigned long get_caller_id() { return EAPP_GET_CALLER_ID(); }

unsigned long get_enclave_id() { return EAPP_GET_ENCLAVE_ID(); }

unsigned long call_enclave(unsigned long handle, struct call_enclave_arg_t* arg) {
  return EAPP_CALL_ENCLAVE(handle, arg);
}

long getrandom(void* buf, size_t buflen, unsigned int flags) {
  (void)flags;
  return (long)EAPP_OCALL(OCALL_GETRANDOM, buf, buflen);
}
