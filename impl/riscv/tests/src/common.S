/*
 * Common runtime of the directed bare-metal tests: reset entry, M/S trap handlers, pass/fail through
 * HTIF tohost (riscv.md §1), and the data they use. See test_macros.h for the conventions.
 */
#include "test_macros.h"

  .section .text.init, "ax", @progbits
  .option norvc
  .globl _start
_start:
  la t0, m_trap
  csrw mtvec, t0
  csrr a0, mhartid
  /* sp = stack_top - hartid * 4096 */
  la sp, stack_top
  slli t0, a0, 12
  sub sp, sp, t0
  li gp, 0
  li tp, 0
  bnez a0, hart_other
  call common_init
  j test_main

/* Put the machine into the state every program starts from. */
  .globl common_init
common_init:
  la t0, m_trap
  csrw mtvec, t0
  la t0, s_trap
  csrw stvec, t0
  csrw mie, zero
  csrw mideleg, zero
  csrw medeleg, zero
  li t0, MIP_SSIP | MIP_STIP
  csrc mip, t0
  csrw mstatus, zero
  csrw satp, zero
  csrw mscratch, zero
  csrw sscratch, zero
  /* CLINT: no timer interrupt pending (mtimecmp = max), no software interrupt (riscv.md §3.7) */
  csrr t0, mhartid
  slli t1, t0, 3
  li t2, CLINT_MTIMECMP
  add t2, t2, t1
  li t1, -1
  sd t1, 0(t2)
  slli t1, t0, 2
  li t2, CLINT_MSIP
  add t2, t2, t1
  sw zero, 0(t2)
  /* PMP: entry 15 = NAPOT over the whole address space, RWX, so S/U can run (riscv.md §3.4:
     with entries implemented and none matching, S/U accesses fail). Entries 0..14 OFF. */
  csrw pmpcfg0, zero
  li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
  csrw pmpcfg2, t0
  li t0, -1
  csrw pmpaddr15, t0
  sfence.vma zero, zero
  la t0, trap_data
  li t1, -1
  sd t1, TD_CAUSE(t0)
  sd zero, TD_COUNT(t0)
  la t0, strap_data
  sd t1, TD_CAUSE(t0)
  sd zero, TD_COUNT(t0)
  ret

/* Default for single-hart programs: any other hart parks. */
  .weak hart_other
  .globl park_hart
hart_other:
park_hart:
  csrw mie, zero
1:
  wfi
  j 1b

/* ------------------------------------------------------------------ M-mode trap handler */
  .align 6
  .globl m_trap
m_trap:
  csrw mscratch, t6
  la t6, trap_data
  sd t5, TD_SAVE5(t6)
  csrr t5, mscratch
  sd t5, TD_SAVE6(t6)
  csrr t5, mcause
  sd t5, TD_CAUSE(t6)
  csrr t5, mepc
  sd t5, TD_EPC(t6)
  csrr t5, mtval
  sd t5, TD_TVAL(t6)
  csrr t5, mstatus
  sd t5, TD_STATUS(t6)
  ld t5, TD_COUNT(t6)
  addi t5, t5, 1
  sd t5, TD_COUNT(t6)
  addi t5, t5, -1             /* trap_log[(count - 1) % 8] = mcause */
  andi t5, t5, 7
  slli t5, t5, 3
  add t5, t5, t6
  csrr t6, mcause
  sd t6, TD_LOG(t5)
  la t6, trap_data
  csrr t5, mcause
  bltz t5, m_trap_irq
  /* synchronous: follow tp */
  mv t5, tp
  li tp, 0
  beqz t5, m_trap_unexpected
  li t6, SKIP
  bne t5, t6, 1f
  csrr t5, mepc
  lhu t6, 0(t5)
  andi t6, t6, 3
  addi t5, t5, 2
  xori t6, t6, 3
  bnez t6, 2f
  addi t5, t5, 2
  j 2f
1:
  andi t6, t5, 1
  beqz t6, 2f
  andi t5, t5, -2
  li t6, MSTATUS_MPP
  csrs mstatus, t6
2:
  csrw mepc, t5
  csrr t5, mcause
  csrr t6, mtval
  mret
m_trap_irq:
  csrw mie, zero
  ld t5, TD_SAVE5(t6)
  ld t6, TD_SAVE6(t6)
  mret
m_trap_unexpected:
  j fail

/* ------------------------------------------------------------------ S-mode trap handler */
  .align 6
  .globl s_trap
s_trap:
  csrw sscratch, t6
  la t6, strap_data
  sd t5, TD_SAVE5(t6)
  csrr t5, sscratch
  sd t5, TD_SAVE6(t6)
  csrr t5, scause
  sd t5, TD_CAUSE(t6)
  csrr t5, sepc
  sd t5, TD_EPC(t6)
  csrr t5, stval
  sd t5, TD_TVAL(t6)
  csrr t5, sstatus
  sd t5, TD_STATUS(t6)
  ld t5, TD_COUNT(t6)
  addi t5, t5, 1
  sd t5, TD_COUNT(t6)
  csrr t5, scause
  bltz t5, s_trap_irq
  mv t5, tp
  li tp, 0
  beqz t5, fail
  li t6, SKIP
  bne t5, t6, 1f
  csrr t5, sepc
  lhu t6, 0(t5)
  andi t6, t6, 3
  addi t5, t5, 2
  xori t6, t6, 3
  bnez t6, 2f
  addi t5, t5, 2
  j 2f
1:
  andi t6, t5, 1
  beqz t6, 2f
  andi t5, t5, -2
  li t6, MSTATUS_SPP
  csrs sstatus, t6
2:
  csrw sepc, t5
  csrr t5, scause
  csrr t6, stval
  sret
s_trap_irq:
  csrw sie, zero
  ld t5, TD_SAVE5(t6)
  ld t6, TD_SAVE6(t6)
  sret

/* ------------------------------------------------------------------ pass / fail */
  .globl pass
pass:
  fence
  li t5, 1
  la t6, tohost
  sd t5, 0(t6)
1:
  j 1b

  .globl fail
fail:
  fence
  slli t5, gp, 1
  ori t5, t5, 1
  li t6, 1
  bne t5, t6, 1f
  li t5, (0x3ff << 1) | 1     /* failure before any check was numbered */
1:
  la t6, tohost
  sd t5, 0(t6)
2:
  j 2b

/* ------------------------------------------------------------------ data */
  .section .tohost, "aw", @progbits
  .align 6
  .globl tohost
  .type tohost, @object
  .size tohost, 8
tohost:
  .dword 0
  .align 6
  .globl fromhost
  .type fromhost, @object
  .size fromhost, 8
fromhost:
  .dword 0

  .data
  .align 6
  .globl trap_data
trap_data:
  .fill 16, 8, 0
  .globl strap_data
strap_data:
  .fill 16, 8, 0

  .bss
  .align 12
stack_bottom:
  .skip 4096 * 4
  .globl stack_top
stack_top:
