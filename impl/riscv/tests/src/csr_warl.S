/* WARL fields (riscv.md §3.1): misa (MXL = 2, IMAC+S+U), mstatus.MPP holds M/S/U, mtvec/stvec
   MODE >= 2 reserved, satp with an unsupported MODE is ignored as a whole, pmpcfg legal values,
   mepc/sepc hold 2-byte aligned values, mideleg/mip writable bits. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* --- misa */
  li gp, 1
  csrr a0, misa
  srli a1, a0, 62
  li t6, 2
  bne a1, t6, fail
  li gp, 2
  li t6, (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)   /* A C I M S U */
  and a1, a0, t6
  bne a1, t6, fail
  li gp, 3
  li t6, (1 << 3) | (1 << 5) | (1 << 7) | (1 << 4) | (1 << 21)  /* no D F H E V */
  and a1, a0, t6
  bnez a1, fail
  li gp, 4
  csrw misa, zero                    /* WARL: MXL stays 2 */
  csrr a1, misa
  srli a1, a1, 62
  li t6, 2
  bne a1, t6, fail
  csrw misa, a0
  /* --- MPP: M and S are legal values (that 2 cannot be held: qemu_deviations.S) */
  li gp, 6
  li t5, MSTATUS_MPP
  csrs mstatus, t5
  csrr a0, mstatus
  and a0, a0, t5
  bne a0, t5, fail
  li gp, 7
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, 1 << 11
  csrs mstatus, t5
  csrr a0, mstatus
  li t5, MSTATUS_MPP
  and a0, a0, t5
  li t6, 1 << 11
  bne a0, t6, fail
  /* --- mtvec MODE >= 2 reserved: reads back 0 or 1, never 2 or 3 */
  li gp, 8
  csrr s0, mtvec
  la a1, aligned_vec
  ori a1, a1, 2
  csrw mtvec, a1
  csrr a0, mtvec
  andi a0, a0, 3
  li t6, 2
  bgeu a0, t6, fail
  li gp, 9
  la a1, aligned_vec
  ori a1, a1, 1                      /* vectored is supported */
  csrw mtvec, a1
  csrr a0, mtvec
  bne a0, a1, fail
  csrw mtvec, s0
  li gp, 10
  csrr s1, stvec
  la a1, aligned_vec
  ori a1, a1, 3
  csrw stvec, a1
  csrr a0, stvec
  andi a0, a0, 3
  li t6, 2
  bgeu a0, t6, fail
  csrw stvec, s1
  /* --- satp: an unsupported MODE makes the whole write have no effect */
  li gp, 11
  li a1, SATP_SV39 | 0x80123
  csrw satp, a1
  csrr a0, satp
  li t6, 0xf0000fffffffffff          /* ASID may be 0-width */
  and a0, a0, t6
  bne a0, a1, fail
  li gp, 12
  li a2, (5 << 60) | 0x80456         /* MODE 5 is reserved */
  csrw satp, a2
  csrr a0, satp
  li t6, 0xf0000fffffffffff
  and a0, a0, t6
  bne a0, a1, fail
  li gp, 13
  li a2, (15 << 60) | 0x80789
  csrw satp, a2
  csrr a0, satp
  and a0, a0, t6
  bne a0, a1, fail
  li gp, 14
  csrw satp, zero                    /* Bare */
  csrr a0, satp
  bnez a0, fail
  /* --- pmpcfg: a legal value reads back (R = 0/W = 1 never reading back: qemu_deviations.S) */
  li gp, 17
  li a1, (PMP_NAPOT | PMP_R | PMP_W) << 16
  csrw pmpcfg0, a1
  csrr a0, pmpcfg0
  bne a0, a1, fail
  csrw pmpcfg0, zero
  /* --- mepc / sepc hold 2-byte aligned addresses (IALIGN = 16); that bit 0 always reads 0 is
     checked in qemu_deviations.S */
  li gp, 18
  li a1, 0x80000002
  csrw mepc, a1
  csrr a0, mepc
  bne a0, a1, fail
  li gp, 19
  csrw sepc, a1
  csrr a0, sepc
  bne a0, a1, fail
  /* --- mideleg: S interrupts are delegable, M interrupts are not */
  li gp, 21
  li a1, -1
  csrw mideleg, a1
  csrr a0, mideleg
  li t6, MIP_SSIP | MIP_STIP | MIP_SEIP
  and a2, a0, t6
  bne a2, t6, fail
  li gp, 22
  li t6, MIP_MSIP | MIP_MTIP | MIP_MEIP
  and a2, a0, t6
  bnez a2, fail
  csrw mideleg, zero
  /* --- mip: MSIP/MTIP/MEIP are read-only (riscv.md §3.7) */
  li gp, 23
  li t5, MIP_MSIP | MIP_MTIP | MIP_MEIP
  csrs mip, t5
  csrr a0, mip
  and a0, a0, t5
  bnez a0, fail
  RVTEST_PASS

  .align 6
aligned_vec:
  j fail
