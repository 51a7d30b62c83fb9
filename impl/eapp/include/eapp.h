/* Enclave-side API of Penglai-TVM (PGL §2.1–§2.3; SDK lib/app/include/eapp.h): the raw ecall stubs
 * (src/eret.S), their C wrappers, and the entry macros. Programs written for Penglai's SDK compile
 * against this header unchanged. */
#ifndef _EAPP_COMMON
#define _EAPP_COMMON
#include "attest.h"

/* Enclave VA layout (PGL §4.6):
 *   0x0000000000001000  text/data/bss (linker script app.lds; ELF entry _start = 0x1000)
 *   0x0000001000000000  heap, grows up (sbrk)
 *   0x0000003000000000  mmap area top, grows down (eapp_mmap)
 *   0x0000003800000000  stack top (64 KiB default, grows down) = relay ("mm arg") pages, mapped up
 *   0x0000003900000000  host shared memory
 *   0xffffffe000000000  kbuffer (one page, print buffer shared with the host) */
#define ENCLAVE_DEFAULT_HEAP_BASE  0x0000001000000000UL
#define ENCLAVE_DEFAULT_MMAP_BASE  0x0000003000000000UL
#define ENCLAVE_DEFAULT_STACK_BASE 0x0000003800000000UL
#define ENCLAVE_DEFAULT_MM_ARG_BASE 0x0000003800000000UL
#define ENCLAVE_DEFAULT_SHM_BASE   0x0000003900000000UL

/* IPC argument of call_enclave / SERVER_RETURN / asyn_enclave_call (PGL §3.3), 48 bytes. */
struct call_enclave_arg_t {
  unsigned long req_arg;
  unsigned long resp_val;
  unsigned long req_vaddr;
  unsigned long req_size;
  unsigned long resp_vaddr;
  unsigned long resp_size;
};

/* Raw stubs: a6 = 0x100101, a7 = fid, arguments in a0..a3, result in a0 (PGL §2.1, §2.2). */
void EAPP_RETURN(unsigned long retval) __attribute__((noreturn));               /* fid 99 */
void SERVER_RETURN(struct call_enclave_arg_t* arg) __attribute__((noreturn));    /* fid 95 */
unsigned long EAPP_OCALL(unsigned long ocall_func_id, ...);                      /* fid 98 */
void* EAPP_MMAP(unsigned long ocall_func_id, void* vaddr, unsigned long size);   /* fid 98, id 1 */
int EAPP_UNMAP(unsigned long ocall_func_id, void* vaddr, unsigned long size);    /* fid 98, id 2 */
int EAPP_RETURN_RELAY_PAGE(unsigned long ocall_func_id);                         /* fid 98, id 7 */
int EAPP_PERSISTENCY_READ_SEC(unsigned long ocall_func_id, unsigned long sec);   /* fid 98, id 5 */
int EAPP_PERSISTENCY_WRITE_SEC(unsigned long ocall_func_id, unsigned long sec);  /* fid 98, id 6 */
unsigned long EAPP_ACQUIRE_ENCLAVE(char* name);                                  /* fid 97 */
unsigned long EAPP_CALL_ENCLAVE(unsigned long handle, struct call_enclave_arg_t* arg); /* fid 96 */
int EAPP_GET_REPORT(char* name, struct report_t* report, unsigned long nonce);   /* fid 94 */
unsigned long EAPP_ASYN_ENCLAVE_CALL(char* name, struct call_enclave_arg_t* arg); /* fid 93 */
unsigned long EAPP_SPLIT_MEM_REGION(unsigned long mem_addr, unsigned long mem_size,
                                    unsigned long split_addr);                   /* fid 92 */
unsigned long EAPP_GET_CALLER_ID();                                              /* fid 91 */
unsigned long EAPP_GET_ENCLAVE_ID();                                             /* fid 90 */
int EAPP_YIELD();                                                                /* fid 89 */
int EAPP_GET_KEY(int key_type, char* key, int key_size);                         /* fid 88 */

/* C wrappers (src/calls.c, src/sbrk.c). */
void* eapp_mmap(void* vaddr, unsigned long size);
int eapp_unmap(void* vaddr, unsigned long size);
/* Penglai semantics: returns the NEW heap top; sbrk(0) returns the current top (PGL §2.3 id 4). */
void* sbrk(long size);
int eapp_return_relay_page();
unsigned long split_mem_region(unsigned long mem_addr, unsigned long mem_size, unsigned long split_addr);
int get_report(char* name, struct report_t* report, unsigned long nonce);
int get_key(int key_type, char* key, int key_size);
unsigned long acquire_enclave(char* name);
unsigned long get_caller_id();
unsigned long get_enclave_id();
unsigned long call_enclave(unsigned long handle, struct call_enclave_arg_t* arg);
unsigned long asyn_enclave_call(char* name, struct call_enclave_arg_t* arg);
int eapp_persistency_read_sec(unsigned long sec);
int eapp_persistency_write_sec(unsigned long sec);

#define ROUNDUP(size, align) (((size - 1) / align + 1) * align)
#define RISCV_PAGE_SIZE 4096

/* Registers at entry, saved by the assembly stub _start (src/entry.S) before any C code runs:
 * __eapp_args[i] = x_i (x2 = sp at entry), so [10..14] = a0..a4 (PGL §4.6, §3.3). */
extern unsigned long* __eapp_args;

/* The entry function. Penglai places it first in .text; here _start (0x1000) comes first and calls
 * it, and if it returns, its value goes to EAPP_RETURN. */
#define EAPP_ENTRY __attribute__((__section__(".text._start")))
/* Penglai's form `unsigned long* args; EAPP_RESERVE_REG;` leaves args pointing at the registers
 * saved at entry, at any optimisation level. */
#define EAPP_RESERVE_REG (args = __eapp_args)

#endif
