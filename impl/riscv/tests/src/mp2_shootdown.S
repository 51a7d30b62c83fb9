/* Cross-hart coherence of cached state (riscv.md §3.8): hart 1 rewrites a PTE that hart 0 (in S,
   Sv39) has used, and hart 0 sees the new mapping after its own sfence.vma; hart 1 rewrites code
   that hart 0 has executed, and hart 0 runs the new code after its own fence.i. */
#include "test_macros.h"
  .option norvc

/* hart 0: ask hart 1 for step \req and wait for it to answer \ack */
.macro ASK n, req, ack
  li gp, \n
  la t0, phase
  li t1, \req
  sw t1, 0(t0)
  li s1, 50000000
9501:
  lw t1, 0(t0)
  li t2, \ack
  beq t1, t2, 9502f
  addi s1, s1, -1
  bnez s1, 9501b
  j fail
9502:
.endm

TEST_MAIN
  csrw mie, zero
  VM_SETUP
  MAP4K 0, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sfence.vma
  CALL_PRIV PRV_S, s_main, back
s_main:
  /* use the mapping and the code once, so both are cached */
  li gp, 1
  li s0, VA4K(0)
  ld a0, 0(s0)
  li t6, 0xaaaa
  bne a0, t6, fail
  li gp, 2
  la s2, patch
  jalr s2
  li t6, 1
  bne a0, t6, fail
  /* hart 1 remaps VA4K(0) to data_b */
  ASK 3, 1, 2
  sfence.vma
  li gp, 4
  ld a0, 0(s0)
  li t6, 0xbbbb
  bne a0, t6, fail
  /* hart 1 patches the code to return 5 */
  ASK 5, 3, 4
  fence.i
  li gp, 6
  jalr s2
  li t6, 5
  bne a0, t6, fail
  ECALL_TO_M back
back:
  CHECK_CAUSE 7, CAUSE_ECALL_S
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

  .globl hart_other
hart_other:
  li t0, 1
  bne a0, t0, park_hart
  la s2, phase
1:
  lw t1, 0(s2)
  li t2, 1
  bne t1, t2, 1b
  la a0, pt_l0
  la a1, data_b
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a2, 0(a0)
  fence
  li t0, 2
  sw t0, 0(s2)
2:
  lw t1, 0(s2)
  li t2, 3
  bne t1, t2, 2b
  la a0, patch
  li a1, 0x00500513                /* addi a0, zero, 5 */
  sw a1, 0(a0)
  fence
  li t0, 4
  sw t0, 0(s2)
3:
  wfi
  j 3b

  .data
  .align 6
phase: .word 0
  .align 6
patch:
  addi a0, zero, 1
  ret
  .align 12
data_a: .dword 0xaaaa
  .align 12
data_b: .dword 0xbbbb
  .align 12
  VM_TABLES
