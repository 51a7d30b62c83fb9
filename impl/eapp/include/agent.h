/* The agent enclave's command record (demos/agent): how the checker drives one enclave call or one
 * memory access at a time (design.md "one checked step"). The record is the first 4 KiB of the host
 * shared memory, at enclave VA 0x39_0000_0000 (PGL §4.10); the host sees the same bytes at the shm
 * physical pages. Every field is a little-endian u64 unless noted.
 *
 *   off    field        written by  meaning
 *   0x000  magic        agent       AGENT_MAGIC once the agent has started
 *   0x008  seq          host        increment to post a command
 *   0x010  done         agent       = seq once that command's results are in the record
 *   0x018  handback     host        AGENT_HANDBACK_YIELD (0): EAPP_YIELD after every command and
 *                                   whenever idle; AGENT_HANDBACK_SPIN (1): poll seq without any
 *                                   ecall (control returns to the host only by timer preemption)
 *   0x020  opcode       host        AGENT_OP_*
 *   0x028  arg[6]       host        operands (table below)
 *   0x058  result       agent       a0 of the call, the loaded value, the malloc pointer, ...
 *   0x060  status       agent       AGENT_OK, or AGENT_BAD_OPCODE
 *   0x068  entries      agent       times _start ran (a server restarts at _start on every call)
 *   0x070  entry_args[5] agent      a0..a4 at the latest entry (PGL §4.6, §3.3)
 *   0x098  scratch_va   agent       VA of the agent's private, page-aligned 4 KiB scratch page
 *   0x0a0  name[16]     host        bytes of the name argument (ACQUIRE, GET_REPORT, ASYN_CALL)
 *   0x0b0  call_arg     host/agent  struct call_enclave_arg_t (48 B), copied into private memory
 *                                   before CALL/SERVER_RETURN/ASYN_CALL and back after CALL
 *   0x0e0  target       host        0: any agent on this record runs the command; eid + 1: only that
 *                                   enclave does (several agents may share one shm record)
 *   0x100  data[3840]   both        PRINT: the format string (host); GET_REPORT: the 328-byte
 *                                   report (agent); GET_KEY: the key bytes (agent)
 *
 *   opcode            operation (exactly one ecall unless noted)            result
 *   0  NOP            none                                                  0
 *   1  EXIT           EAPP_RETURN(arg0)  (fid 99)                           (does not return)
 *   2  PRINT          eapp_print(data, arg0..arg5) (ocall 3)                characters printed
 *   3  MMAP           eapp_mmap(arg0, arg1) (ocall 1)                       VA or 0
 *   4  UNMAP          eapp_unmap(arg0, arg1) (ocall 2)                      a0
 *   5  SBRK           sbrk(arg0) (ocall 4)                                  new heap top
 *   6  RETURN_RELAY   eapp_return_relay_page() (ocall 7)                    a0
 *   7  ACQUIRE        acquire_enclave(name) (fid 97)                        handle or -1
 *   8  CALL           call_enclave(arg0, &call_arg) (fid 96)                a0; call_arg written back
 *   9  SERVER_RETURN  SERVER_RETURN(&call_arg) (fid 95)                     (returns only if refused)
 *   10 GET_REPORT     get_report(arg1 ? name : NULL, scratch, arg0) (fid 94) a0; report in data
 *   11 ASYN_CALL      asyn_enclave_call(name, &call_arg) (fid 93)           a0
 *   12 SPLIT          split_mem_region(arg0, arg1, arg2) (fid 92)           a0
 *   13 GET_CALLER_ID  get_caller_id() (fid 91)                              a0
 *   14 GET_ENCLAVE_ID get_enclave_id() (fid 90)                             a0
 *   15 YIELD          EAPP_YIELD() (fid 89)                                 a0
 *   16 GET_KEY        get_key(arg0, scratch, arg1 <= 256) (fid 88)          a0; key in data
 *   17 LOAD           width arg1 (1, 2, 4, 8) load from VA arg0             zero-extended value
 *   18 STORE          width arg1 store of arg2 to VA arg0                   0
 *   19 RAW_ECALL      ecall with a6 = arg0, a7 = arg1, a0..a3 = arg2..arg5  a0
 *   20 MALLOC         malloc(arg0) (ocall 4 only when the heap must grow)   pointer or 0
 *   21 FREE           free(arg0) (ocall 4 only when the heap top shrinks)   0
 *   22 GETRANDOM      getrandom(scratch, arg0 <= 3840, 0) (ocall 8)         a0; bytes in data
 *
 * A protocol step: the host writes opcode/args (and name/call_arg/data), then seq = done + 1, and
 * runs or resumes the enclave; the agent executes the command, writes result/status, then done =
 * seq (after a fence), then hands back. With AGENT_HANDBACK_YIELD, a yield (fid 89) seen while
 * done == seq is the handback; every other ecall belongs to the posted command (so a YIELD command
 * shows two yields: the command's, then the handback). Each enclave that runs the agent needs its
 * own shm (a server is entered again at _start on every call: entries/entry_args record it). */
#ifndef _EAPP_AGENT_H
#define _EAPP_AGENT_H

#include "eapp.h"

#define AGENT_RECORD_VA 0x0000003900000000UL
#define AGENT_MAGIC 0x544e454741474c50UL /* "PLGAGENT" */
#define AGENT_HANDBACK_YIELD 0
#define AGENT_HANDBACK_SPIN 1
#define AGENT_OK 0
#define AGENT_BAD_OPCODE 1
#define AGENT_DATA_SIZE 3840
#define AGENT_KEY_MAX 256

enum agent_op {
  AGENT_OP_NOP = 0,
  AGENT_OP_EXIT = 1,
  AGENT_OP_PRINT = 2,
  AGENT_OP_MMAP = 3,
  AGENT_OP_UNMAP = 4,
  AGENT_OP_SBRK = 5,
  AGENT_OP_RETURN_RELAY = 6,
  AGENT_OP_ACQUIRE = 7,
  AGENT_OP_CALL = 8,
  AGENT_OP_SERVER_RETURN = 9,
  AGENT_OP_GET_REPORT = 10,
  AGENT_OP_ASYN_CALL = 11,
  AGENT_OP_SPLIT = 12,
  AGENT_OP_GET_CALLER_ID = 13,
  AGENT_OP_GET_ENCLAVE_ID = 14,
  AGENT_OP_YIELD = 15,
  AGENT_OP_GET_KEY = 16,
  AGENT_OP_LOAD = 17,
  AGENT_OP_STORE = 18,
  AGENT_OP_RAW_ECALL = 19,
  AGENT_OP_MALLOC = 20,
  AGENT_OP_FREE = 21,
  AGENT_OP_GETRANDOM = 22,
};

struct agent_record {
  unsigned long magic;         /* 0x000 */
  unsigned long seq;           /* 0x008 */
  unsigned long done;          /* 0x010 */
  unsigned long handback;      /* 0x018 */
  unsigned long opcode;        /* 0x020 */
  unsigned long arg[6];        /* 0x028 */
  unsigned long result;        /* 0x058 */
  unsigned long status;        /* 0x060 */
  unsigned long entries;       /* 0x068 */
  unsigned long entry_args[5]; /* 0x070 */
  unsigned long scratch_va;    /* 0x098 */
  char name[16];               /* 0x0a0 */
  struct call_enclave_arg_t call_arg; /* 0x0b0 */
  unsigned long target;        /* 0x0e0 */
  unsigned long reserved[3];   /* 0x0e8 */
  unsigned char data[AGENT_DATA_SIZE]; /* 0x100 */
};

_Static_assert(sizeof(struct agent_record) == 4096, "agent record is one page");
_Static_assert(__builtin_offsetof(struct agent_record, data) == 0x100, "agent record layout");
_Static_assert(__builtin_offsetof(struct agent_record, call_arg) == 0xb0, "agent record layout");

#endif
