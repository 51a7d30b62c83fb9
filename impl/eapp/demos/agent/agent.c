/* agent: the enclave the checker drives one step at a time (design.md). Loops reading the command
 * record at 0x39_0000_0000 (include/agent.h), performs exactly the requested call or access,
 * writes the result back and hands control to the host. */
#include "agent.h"
#include "eapp.h"
#include "print.h"
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define REC ((volatile struct agent_record*)AGENT_RECORD_VA)
#define ENCLAVE_EXTENSION_ID 0x100101UL

static unsigned char scratch[4096] __attribute__((aligned(4096)));
static char name[16];
static struct call_enclave_arg_t call_arg;

/* Copies between the (volatile, host-visible) record and private memory. */
static void copy_in(void* dst, const volatile void* src, unsigned long n) {
  for (unsigned long i = 0; i < n; i++) ((unsigned char*)dst)[i] = ((const volatile unsigned char*)src)[i];
}
static void copy_out(volatile void* dst, const void* src, unsigned long n) {
  for (unsigned long i = 0; i < n; i++) ((volatile unsigned char*)dst)[i] = ((const unsigned char*)src)[i];
}

static unsigned long raw_ecall(unsigned long a6, unsigned long a7, unsigned long a0, unsigned long a1,
                               unsigned long a2, unsigned long a3) {
  register unsigned long r0 asm("a0") = a0;
  register unsigned long r1 asm("a1") = a1;
  register unsigned long r2 asm("a2") = a2;
  register unsigned long r3 asm("a3") = a3;
  register unsigned long r6 asm("a6") = a6;
  register unsigned long r7 asm("a7") = a7;
  asm volatile("ecall" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : "r"(r6), "r"(r7) : "memory");
  return r0;
}

static unsigned long load(unsigned long va, unsigned long width) {
  switch (width) {
    case 1: return *(volatile unsigned char*)va;
    case 2: return *(volatile unsigned short*)va;
    case 4: return *(volatile unsigned int*)va;
    default: return *(volatile unsigned long*)va;
  }
}

static void store(unsigned long va, unsigned long width, unsigned long v) {
  switch (width) {
    case 1: *(volatile unsigned char*)va = (unsigned char)v; break;
    case 2: *(volatile unsigned short*)va = (unsigned short)v; break;
    case 4: *(volatile unsigned int*)va = (unsigned int)v; break;
    default: *(volatile unsigned long*)va = v; break;
  }
}

/* Executes the posted command; returns its result and sets *status. */
static unsigned long execute(unsigned long op, const unsigned long* a, unsigned long* status) {
  *status = AGENT_OK;
  switch (op) {
    case AGENT_OP_NOP: return 0;
    /* EXIT and SERVER_RETURN come back only when refused (a server cannot exit; a return without a
     * caller): raw ecalls, since the SDK's stubs are declared noreturn (PGL §2.2, fid 99 / 95) */
    case AGENT_OP_EXIT: return raw_ecall(ENCLAVE_EXTENSION_ID, 99, a[0], 0, 0, 0);
    case AGENT_OP_PRINT: {
      char* fmt = (char*)scratch;
      copy_in(fmt, REC->data, AGENT_DATA_SIZE - 1);
      fmt[AGENT_DATA_SIZE - 1] = 0;
      int n = printf(fmt, a[0], a[1], a[2], a[3], a[4], a[5]);
      return (unsigned long)n;
    }
    case AGENT_OP_MMAP: return (unsigned long)eapp_mmap((void*)a[0], a[1]);
    case AGENT_OP_UNMAP: return (unsigned long)(long)eapp_unmap((void*)a[0], a[1]);
    case AGENT_OP_SBRK: return (unsigned long)sbrk((long)a[0]);
    case AGENT_OP_RETURN_RELAY: return (unsigned long)(long)eapp_return_relay_page();
    case AGENT_OP_ACQUIRE: copy_in(name, REC->name, sizeof name); return acquire_enclave(name);
    case AGENT_OP_CALL: {
      copy_in(&call_arg, &REC->call_arg, sizeof call_arg);
      unsigned long r = call_enclave(a[0], &call_arg);
      copy_out(&REC->call_arg, &call_arg, sizeof call_arg);
      return r;
    }
    case AGENT_OP_SERVER_RETURN:
      copy_in(&call_arg, &REC->call_arg, sizeof call_arg);
      return raw_ecall(ENCLAVE_EXTENSION_ID, 95, (unsigned long)&call_arg, 0, 0, 0);
    case AGENT_OP_GET_REPORT: {
      copy_in(name, REC->name, sizeof name);
      int r = get_report(a[1] ? name : NULL, (struct report_t*)scratch, a[0]);
      copy_out(REC->data, scratch, sizeof(struct report_t));
      return (unsigned long)(long)r;
    }
    case AGENT_OP_ASYN_CALL:
      copy_in(name, REC->name, sizeof name);
      copy_in(&call_arg, &REC->call_arg, sizeof call_arg);
      return asyn_enclave_call(name, &call_arg);
    case AGENT_OP_SPLIT: return split_mem_region(a[0], a[1], a[2]);
    case AGENT_OP_GET_CALLER_ID: return get_caller_id();
    case AGENT_OP_GET_ENCLAVE_ID: return get_enclave_id();
    case AGENT_OP_YIELD: return (unsigned long)(long)EAPP_YIELD();
    case AGENT_OP_GET_KEY: {
      int size = a[1] > AGENT_KEY_MAX ? AGENT_KEY_MAX : (int)a[1];
      int r = get_key((int)a[0], (char*)scratch, size);
      copy_out(REC->data, scratch, (unsigned long)size);
      return (unsigned long)(long)r;
    }
    case AGENT_OP_LOAD: return load(a[0], a[1]);
    case AGENT_OP_STORE: store(a[0], a[1], a[2]); return 0;
    case AGENT_OP_RAW_ECALL: return raw_ecall(a[0], a[1], a[2], a[3], a[4], a[5]);
    case AGENT_OP_MALLOC: return (unsigned long)malloc(a[0]);
    case AGENT_OP_FREE: free((void*)a[0]); return 0;
    case AGENT_OP_GETRANDOM: {
      unsigned long size = a[0] > AGENT_DATA_SIZE ? AGENT_DATA_SIZE : a[0];
      long r = getrandom(scratch, size, 0);
      copy_out(REC->data, scratch, size);
      return (unsigned long)r;
    }
    default: *status = AGENT_BAD_OPCODE; return 0;
  }
}

/* This enclave's eid + 1, learnt at the first command addressed to one agent (agent.h "target"). */
static long self = -1;

static int for_me(void) {
  unsigned long t = REC->target;
  if (t == 0) return 1;
  if (self < 0) self = (long)get_enclave_id() + 1;
  return t == (unsigned long)self;
}

static void hand_back(void) {
  if (REC->handback == AGENT_HANDBACK_YIELD) EAPP_YIELD();
}

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  REC->entries = REC->entries + 1;
  for (int i = 0; i < 5; i++) REC->entry_args[i] = args[10 + i];
  REC->scratch_va = (unsigned long)scratch;
  __sync_synchronize();
  REC->magic = AGENT_MAGIC;
  for (;;) {
    unsigned long seq = REC->seq;
    if (seq == REC->done || !for_me()) {
      hand_back();
      continue;
    }
    __sync_synchronize();
    unsigned long a[6];
    for (int i = 0; i < 6; i++) a[i] = REC->arg[i];
    unsigned long status;
    unsigned long result = execute(REC->opcode, a, &status);
    REC->result = result;
    REC->status = status;
    __sync_synchronize();
    REC->done = seq;
    hand_back();
  }
}
