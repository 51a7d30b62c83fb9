/* Counter enables (riscv.md §3.1): cycle/time/instret are readable in S only if the mcounteren bit
   is set, in U only if the mcounteren and scounteren bits are set; otherwise illegal instruction. */
#include "test_macros.h"
  .option norvc

#define CY 1
#define TM 2
#define IR 4

TEST_MAIN
  csrw mie, zero
  /* --- mcounteren = 0: S and U cannot read any counter */
  li gp, 1
  csrw mcounteren, zero
  li t5, CY | TM | IR
  csrw scounteren, t5
  CALL_PRIV PRV_S, s1, b1
s1:
  TEST_TRAP 2, CAUSE_ILLEGAL, rdcycle a0
  TEST_TRAP 3, CAUSE_ILLEGAL, rdtime a0
  TEST_TRAP 4, CAUSE_ILLEGAL, rdinstret a0
  ECALL_TO_M b1
b1:
  li gp, 5
  CALL_PRIV PRV_U, u1, b2
u1:
  TEST_TRAP 6, CAUSE_ILLEGAL, rdcycle a0
  TEST_TRAP 7, CAUSE_ILLEGAL, rdtime a0
  TEST_TRAP 8, CAUSE_ILLEGAL, rdinstret a0
  ECALL_TO_M b2
b2:
  /* --- mcounteren = CY|IR: S reads cycle/instret; time stays illegal */
  li gp, 9
  li t5, CY | IR
  csrw mcounteren, t5
  csrw scounteren, zero
  CALL_PRIV PRV_S, s2, b3
s2:
  TEST_NOTRAP 10, rdcycle a0
  TEST_NOTRAP 11, rdinstret a0
  TEST_TRAP 12, CAUSE_ILLEGAL, rdtime a0
  /* S cannot read the M counters whatever mcounteren says */
  TEST_TRAP 13, CAUSE_ILLEGAL, csrr a0, mcycle
  /* scounteren is an S CSR */
  TEST_NOTRAP 14, csrr a0, scounteren
  ECALL_TO_M b3
b3:
  /* --- U with scounteren = 0: illegal even though mcounteren allows */
  li gp, 15
  CALL_PRIV PRV_U, u2, b4
u2:
  TEST_TRAP 16, CAUSE_ILLEGAL, rdcycle a0
  TEST_TRAP 17, CAUSE_ILLEGAL, rdinstret a0
  ECALL_TO_M b4
b4:
  /* --- U with scounteren = CY: cycle only */
  li gp, 18
  li t5, CY
  csrw scounteren, t5
  CALL_PRIV PRV_U, u3, b5
u3:
  TEST_NOTRAP 19, rdcycle a0
  TEST_TRAP 20, CAUSE_ILLEGAL, rdinstret a0
  TEST_TRAP 21, CAUSE_ILLEGAL, rdtime a0
  ECALL_TO_M b5
b5:
  /* --- U with scounteren = CY|IR but mcounteren = IR: instret only */
  li gp, 22
  li t5, IR
  csrw mcounteren, t5
  li t5, CY | IR
  csrw scounteren, t5
  CALL_PRIV PRV_U, u4, b6
u4:
  TEST_TRAP 23, CAUSE_ILLEGAL, rdcycle a0
  TEST_NOTRAP 24, rdinstret a0
  ECALL_TO_M b6
b6:
  /* --- M reads everything regardless of the enables */
  csrw mcounteren, zero
  csrw scounteren, zero
  TEST_NOTRAP 25, rdcycle a0
  TEST_NOTRAP 26, rdinstret a0
  RVTEST_PASS
