/* Sv39 A/D bits updated by hardware (riscv.md §3.3; QEMU 7.2 does the same): a load sets A, a
   store or AMO sets A and D, a fetch sets A; a faulting access sets neither; a cached translation
   with D = 0 does not let a later store skip setting D; after software clears A and runs
   sfence.vma the next access sets it again; the PTE update goes to the PTE in memory. */
#include "test_macros.h"
  .option norvc

/* check the A (bit 6) and D (bit 7) bits of pt_l0[\i] */
.macro CHECK_AD n, i, a, d
  li gp, \n
  LOAD_PTE a0, \i
  andi a0, a0, PTE_A | PTE_D
  li t6, (\a * PTE_A) | (\d * PTE_D)
  bne a0, t6, fail
.endm

TEST_MAIN
  csrw mie, zero
  VM_SETUP
  MAP4K 0, page0, PTE_V | PTE_R | PTE_W
  MAP4K 1, page1, PTE_V | PTE_R | PTE_W
  MAP4K 2, page2, PTE_V | PTE_R                 /* read-only */
  MAP4K 3, code_page, PTE_V | PTE_R | PTE_X
  MAP4K 4, page4, PTE_V | PTE_R | PTE_W
  MAP4K 5, page5, PTE_V | PTE_X                 /* execute-only: loads fault */
  sfence.vma
  CHECK_AD 1, 0, 0, 0
  CALL_PRIV PRV_S, s1, b1
s1:
  li s0, VA4K(0)
  ld a0, 0(s0)
  ECALL_TO_M b1
b1:
  CHECK_AD 2, 0, 1, 0                           /* load: A only */
  CALL_PRIV PRV_S, s2, b2
s2:
  li s0, VA4K(0)
  ld a0, 8(s0)                                  /* translation cached with D = 0 ... */
  sd a0, 8(s0)                                  /* ... the store must still set D */
  ECALL_TO_M b2
b2:
  CHECK_AD 3, 0, 1, 1
  /* AMO on a fresh page sets A and D */
  CALL_PRIV PRV_S, s3, b3
s3:
  li s0, VA4K(1)
  amoadd.d a0, zero, (s0)
  ECALL_TO_M b3
b3:
  CHECK_AD 4, 1, 1, 1
  /* faulting store on a read-only page: no A, no D */
  CALL_PRIV PRV_S, s4, b4
s4:
  li s0, VA4K(2)
  TEST_TRAP 5, CAUSE_STORE_PAGE, sd a0, 0(s0)
  ECALL_TO_M b4
b4:
  CHECK_AD 6, 2, 0, 0
  /* faulting load on an execute-only page (MXR = 0): no A */
  CALL_PRIV PRV_S, s5, b5
s5:
  li s0, VA4K(5)
  TEST_TRAP 7, CAUSE_LOAD_PAGE, ld a0, 0(s0)
  ECALL_TO_M b5
b5:
  CHECK_AD 8, 5, 0, 0
  /* a load from the read-only page then sets A (not D) */
  CALL_PRIV PRV_S, s6, b6
s6:
  li s0, VA4K(2)
  ld a0, 0(s0)
  ECALL_TO_M b6
b6:
  CHECK_AD 9, 2, 1, 0
  /* fetch sets A */
  CALL_PRIV PRV_S, s7, b7
s7:
  li s0, VA4K(3)
  jalr s0
  li gp, 10
  li t6, 99
  bne a0, t6, fail
  ECALL_TO_M b7
b7:
  CHECK_AD 11, 3, 1, 0
  /* software clears A and D, sfence.vma: the next store sets both again */
  LOAD_PTE a3, 0
  andi a3, a3, ~(PTE_A | PTE_D)
  la a0, pt_l0
  sd a3, 0(a0)
  sfence.vma
  CHECK_AD 12, 0, 0, 0
  CALL_PRIV PRV_S, s8, b8
s8:
  li s0, VA4K(0)
  sw zero, 100(s0)
  ECALL_TO_M b8
b8:
  CHECK_AD 13, 0, 1, 1
  /* store on a page with A = 1, D = 0 sets D; the other PTE bits are unchanged */
  LOAD_PTE a3, 4
  ori a3, a3, PTE_A
  la a0, pt_l0
  sd a3, 32(a0)
  sfence.vma
  CALL_PRIV PRV_S, s9, b9
s9:
  li s0, VA4K(4)
  sb zero, 0(s0)
  ECALL_TO_M b9
b9:
  li gp, 14
  LOAD_PTE a0, 4
  ori a3, a3, PTE_D
  bne a0, a3, fail
  /* M-mode accesses with MPRV (MPP = S) update A/D too */
  LOAD_PTE a3, 1
  andi a3, a3, ~(PTE_A | PTE_D)
  la a0, pt_l0
  sd a3, 8(a0)
  sfence.vma
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, (PRV_S << 11) | MSTATUS_MPRV
  csrs mstatus, t5
  li s0, VA4K(1)
  sd zero, 0(s0)
  li t5, MSTATUS_MPRV
  csrc mstatus, t5
  CHECK_AD 15, 1, 1, 1
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

  .align 12
code_page:
  li a0, 99
  ret
  .align 12

  .data
  .align 12
page0: .fill 512, 8, 0
page1: .fill 512, 8, 0
page2: .fill 512, 8, 0
page4: .fill 512, 8, 0
page5: .fill 512, 8, 0
  VM_TABLES
