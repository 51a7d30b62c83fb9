/* Sv39 page faults (riscv.md §3.3): V = 0, R = 0 & W = 1, reserved PTE bits 63:54, missing
   permission for load/store/fetch, SC on a read-only page, non-canonical VA (page fault, not access fault), misaligned 2 MiB and 1 GiB superpages,
   a pointer PTE at level 0; cause 12/13/15 with mtval = VA; delegated page faults with stval. AMO
   page faults: qemu_deviations_vm.S. */
#include "test_macros.h"
  .option norvc

.macro FAULT n, cause, va, insn:vararg
  li s0, \va
  TEST_TRAP \n, \cause, \insn
  li gp, \n + 100
  bne t6, s0, fail
.endm

/* pt_l0[\i] = RW PTE for data_a with reserved bit \bit set */
.macro SET_RESERVED_PTE i, bit
  la a0, pt_l0
  la a1, data_a
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  li a1, 1 << \bit
  or a2, a2, a1
  sd a2, (8 * \i)(a0)
.endm

TEST_MAIN
  csrw mie, zero
  VM_SETUP
  /* 0: V = 0 (left zero)  1: R = 0, W = 1  2: reserved bit 60  3: read-only  4: execute-only
     5: read/write, no X   6: pointer at level 0  7: reserved bit 54  8: N bit (63) 9: PBMT (62:61) */
  MAP4K 1, data_a, PTE_V | PTE_W | PTE_A | PTE_D
  MAP4K 3, data_a, PTE_V | PTE_R | PTE_A
  MAP4K 4, data_a, PTE_V | PTE_X | PTE_A
  MAP4K 5, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  MAP4K 6, data_a, PTE_V
  /* reserved bits: 2 -> bit 60, 7 -> bit 54, 8 -> bit 63 (N, no Svnapot), 9 -> bit 61 (PBMT) */
  SET_RESERVED_PTE 2, 60
  SET_RESERVED_PTE 7, 54
  SET_RESERVED_PTE 8, 63
  SET_RESERVED_PTE 9, 61
  /* misaligned 2 MiB leaf: pt_l1[2] (VA 0x40400000) -> PA 0x80201000 */
  la a0, pt_l1
  li a1, 0x80201000
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a2, 16(a0)
  /* misaligned 1 GiB leaf: root[4] (VA 0x100000000) -> PA 0x80200000 */
  la a0, pt_root
  li a1, 0x80200000
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a2, 32(a0)
  sfence.vma
  CALL_PRIV PRV_S, s_main, back
s_main:
  /* V = 0 */
  FAULT 1, CAUSE_LOAD_PAGE, VA4K(0), ld a0, 0(s0)
  FAULT 2, CAUSE_STORE_PAGE, VA4K(0), sd a0, 0(s0)
  /* (AMOs raising store/AMO page faults, never load page faults: qemu_deviations_vm.S) */
  FAULT 4, CAUSE_LOAD_PAGE, VA4K(0), lr.d a0, (s0)
  /* fetch from V = 0: mepc = mtval = the target */
  li s0, VA4K(0)
  li gp, 5
  li t5, -1
  la tp, 1f
  jalr s0
  j fail
1:
  li a3, CAUSE_FETCH_PAGE
  bne t5, a3, fail
  li gp, 6
  bne t6, s0, fail                  /* mtval = the target */
  /* R = 0, W = 1 is reserved: page fault on any access */
  FAULT 10, CAUSE_LOAD_PAGE, VA4K(1), ld a0, 0(s0)
  FAULT 11, CAUSE_STORE_PAGE, VA4K(1) + 8, sd a0, 0(s0)
  /* reserved PTE bits 63:54 set: page fault */
  FAULT 40, CAUSE_LOAD_PAGE, VA4K(2), ld a0, 0(s0)
  FAULT 41, CAUSE_LOAD_PAGE, VA4K(7), ld a0, 0(s0)
  FAULT 42, CAUSE_LOAD_PAGE, VA4K(8), ld a0, 0(s0)
  FAULT 43, CAUSE_STORE_PAGE, VA4K(9), sd a0, 0(s0)
  /* read-only page */
  FAULT 12, CAUSE_STORE_PAGE, VA4K(3) + 16, sd a0, 0(s0)
  li s0, VA4K(3)
  lr.d a1, (s0)                     /* readable: takes a reservation, so the SC must try to store */
  FAULT 14, CAUSE_STORE_PAGE, VA4K(3), sc.d a1, a0, (s0)
  TEST_NOTRAP 15, ld a0, 0(s0)
  /* execute-only page: loads fault (MXR = 0) */
  FAULT 16, CAUSE_LOAD_PAGE, VA4K(4), lw a0, 0(s0)
  /* no X: fetch page fault */
  li s0, VA4K(5)
  li gp, 18
  li t5, -1
  la tp, 2f
  jalr s0
  j fail
2:
  li t6, CAUSE_FETCH_PAGE
  bne t5, t6, fail
  /* pointer PTE at level 0: page fault */
  FAULT 19, CAUSE_LOAD_PAGE, VA4K(6), ld a0, 0(s0)
  /* non-canonical VAs: bit 39 set without 63:40 */
  FAULT 20, CAUSE_LOAD_PAGE, 0x0000008000000000, ld a0, 0(s0)
  FAULT 21, CAUSE_STORE_PAGE, 0x0000008000000000, sd a0, 0(s0)
  FAULT 22, CAUSE_LOAD_PAGE, 0xffffff0080000000, lw a0, 0(s0)
  FAULT 23, CAUSE_LOAD_PAGE, 0x8000000080000000, lb a0, 0(s0)  /* bit 63 only: PA-looking but invalid */
  li s0, 0x0000008000000000
  li gp, 24
  li t5, -1
  la tp, 3f
  jalr s0
  j fail
3:
  li t6, CAUSE_FETCH_PAGE
  bne t5, t6, fail
  /* canonical high VA, unmapped (root[256] = 0) */
  FAULT 25, CAUSE_LOAD_PAGE, 0xffffffc000000000, ld a0, 0(s0)
  /* misaligned superpages */
  FAULT 26, CAUSE_LOAD_PAGE, 0x40400000, ld a0, 0(s0)
  FAULT 27, CAUSE_STORE_PAGE, 0x40400008, sd a0, 0(s0)
  FAULT 28, CAUSE_LOAD_PAGE, 0x100000000, ld a0, 0(s0)
  /* misaligned load/store whose second half is on an unmapped page: page fault (not misaligned);
     tval is the start of the access or of the faulting portion (riscv.md §3.2 xtval) */
  li s0, VA4K(6) - 4                 /* VA4K(5) mapped, VA4K(6) is a pointer PTE: faults */
  TEST_TRAP 47, CAUSE_LOAD_PAGE, ld a0, 0(s0)
  li gp, 48
  beq t6, s0, 7f
  li a3, VA4K(6)
  bne t6, a3, fail
7:
  li a0, -1
  TEST_TRAP 49, CAUSE_STORE_PAGE, sd a0, 0(s0)
  li gp, 50                          /* precise: the mapped half was not written */
  lw a0, 0(s0)
  bnez a0, fail
  /* the good page still works */
  li gp, 29
  li s0, VA4K(5)
  li a1, 77
  sd a1, 0(s0)
  ld a0, 0(s0)
  bne a0, a1, fail
  ECALL_TO_M back
back:
  CHECK_CAUSE 30, CAUSE_ECALL_S
  /* --- a 32-bit instruction whose second half lies on an unmapped page: fetch page fault with
     mepc = the instruction, mtval = the first byte of the unmapped page (riscv.md §3.2 xtval) */
  MAP4K 10, span_page, PTE_V | PTE_R | PTE_X | PTE_A
  sfence.vma
  li gp, 44
  la tp, 6f
  ori tp, tp, 1
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, PRV_S << 11
  csrs mstatus, t5
  li t5, VA4K(10) + 4096 - 2
  csrw mepc, t5
  mret
6:
  li a3, CAUSE_FETCH_PAGE
  bne t5, a3, fail
  CHECK_TRAP_EPC_VAL 45, VA4K(10) + 4096 - 2
  CHECK_TRAP 46, TD_TVAL, VA4K(11)
  /* --- exceptions in S with delegation: page faults go to S with stval = VA */
  li t5, (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE) | (1 << CAUSE_FETCH_PAGE)
  csrw medeleg, t5
  CLEAR_TRAP
  CLEAR_STRAP
  CALL_PRIV PRV_S, s_main3, back3
s_main3:
  li s0, VA4K(3)
  TEST_TRAP 31, CAUSE_STORE_PAGE, sd a0, 8(s0)
  li gp, 32
  addi s1, s0, 8
  csrr a0, stval
  bne a0, s1, fail
  CHECK_STRAP 33, TD_COUNT, 1
  CHECK_TRAP 34, TD_COUNT, 0
  ECALL_TO_M back3
back3:
  csrw medeleg, zero
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

  .align 12
span_page:
  .fill 4094, 1, 0
  .hword 0x0013                     /* low half of addi x0, x0, 0; the high half is on VA4K(11) */
  .align 12

  .data
  .align 12
data_a:
  .fill 512, 8, 0
  VM_TABLES
