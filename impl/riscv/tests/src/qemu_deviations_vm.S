/* Spec-only (excluded from QEMU, see the Makefile): AMOs raise store/AMO page faults, never load
   page faults (riscv.md §3.3: "an AMO on an unreadable page raises a store page fault"); QEMU 7.2
   raises a load page fault for an AMO on an unmapped or execute-only page; likewise an AMO whose
   page-table walk fails PMP raises a store/AMO access fault (QEMU 7.2: load access fault); and a
   walk reading a PTE where no memory is raises an access fault (QEMU 7.2: page fault); the A/D
   update must pass PMP (QEMU 7.2 does not check). */
#include "test_macros.h"
  .option norvc

.macro FAULT n, cause, va, insn:vararg
  li s0, \va
  TEST_TRAP \n, \cause, \insn
  li gp, \n + 100
  bne t6, s0, fail
.endm

TEST_MAIN
  csrw mie, zero
  VM_SETUP
  /* 0: V = 0   3: read-only   4: execute-only */
  MAP4K 3, data_a, PTE_V | PTE_R | PTE_A
  MAP4K 4, data_a, PTE_V | PTE_X | PTE_A
  sfence.vma
  CALL_PRIV PRV_S, s_main, back
s_main:
  FAULT 1, CAUSE_STORE_PAGE, VA4K(0), amoadd.d a0, a0, (s0)
  FAULT 2, CAUSE_STORE_PAGE, VA4K(0), amoswap.w a0, a0, (s0)
  FAULT 3, CAUSE_STORE_PAGE, VA4K(3), amoswap.w a0, a0, (s0)
  FAULT 4, CAUSE_STORE_PAGE, VA4K(3) + 8, amomax.d a0, a0, (s0)
  FAULT 5, CAUSE_STORE_PAGE, VA4K(4), amoor.d a0, a0, (s0)
  ECALL_TO_M back
back:
  CHECK_CAUSE 6, CAUSE_ECALL_S
  /* an AMO whose page-table walk fails PMP: store/AMO access fault (riscv.md §3.3 walk: "access
     fault of the original type"); QEMU 7.2 raises a load access fault */
  MAP4K 5, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  NAPOT_ADDR a0, pt_l0, 4096
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_NAPOT
  sfence.vma
  CALL_PRIV PRV_S, s_two, back2
s_two:
  FAULT 7, CAUSE_STORE_ACCESS, VA4K(5), amoswap.d a0, a0, (s0)
  FAULT 8, CAUSE_STORE_ACCESS, VA4K(5), amoadd.w a0, a0, (s0)
  ECALL_TO_M back2
back2:
  csrw pmpcfg0, zero
  /* a walk that reads a PTE from a physical address with no device: access fault of the original
     type (riscv.md §3.3 walk); QEMU 7.2 raises a page fault */
  la a0, pt_root
  li a1, 0x10000000
  MAKE_PTE a2, a1, PTE_V
  sd a2, 8(a0)                        /* root[1] -> "table" at PA 0x10000000 */
  sfence.vma
  CALL_PRIV PRV_S, s_three, back3
s_three:
  FAULT 9, CAUSE_LOAD_ACCESS, VA4K(0), ld a0, 0(s0)
  FAULT 10, CAUSE_STORE_ACCESS, VA4K(0), sd a0, 0(s0)
  FAULT 11, CAUSE_FETCH_ACCESS, VA4K(0), jalr s0
  ECALL_TO_M back3
back3:
  /* the hardware A/D update is a store to the PTE and must pass PMP (riscv.md §3.3 A/D); if it
     cannot, the access takes an access fault of its own type and A/D stay clear. QEMU 7.2 sets A/D
     without a PMP check */
  la a0, pt_root
  la a1, pt_l1
  MAKE_PTE a2, a1, PTE_V
  sd a2, 8(a0)                        /* restore root[1] */
  MAP4K 6, data_a, PTE_V | PTE_R | PTE_W            /* A = D = 0 */
  MAP4K 7, data_a, PTE_V | PTE_R | PTE_W | PTE_A    /* D = 0 */
  NAPOT_ADDR a0, pt_l0, 4096
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_NAPOT | PMP_R      /* tables readable, not writable, by S */
  sfence.vma
  CALL_PRIV PRV_S, s_four, back4
s_four:
  FAULT 12, CAUSE_LOAD_ACCESS, VA4K(6), ld a0, 0(s0)
  FAULT 13, CAUSE_STORE_ACCESS, VA4K(6), sd a0, 0(s0)
  li s0, VA4K(7)
  TEST_NOTRAP 14, ld a0, 0(s0)      /* A already set: no PTE write needed */
  FAULT 15, CAUSE_STORE_ACCESS, VA4K(7), sd a0, 0(s0)
  ECALL_TO_M back4
back4:
  CHECK_CAUSE 16, CAUSE_ECALL_S
  li gp, 17
  LOAD_PTE a0, 6
  andi a0, a0, PTE_A | PTE_D
  bnez a0, fail
  li gp, 18
  LOAD_PTE a0, 7
  andi a0, a0, PTE_D
  bnez a0, fail
  csrw pmpcfg0, zero
  sfence.vma
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

  .data
  .align 12
data_a:
  .fill 512, 8, 0
  VM_TABLES
