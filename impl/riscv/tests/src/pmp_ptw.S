/* PMP applies to page-table walks (riscv.md §3.3 walk, §3.4): each PTE read is checked as an
   S-mode access, and a failure raises an access fault of the original access type (fetch 1,
   load 5, store 7) with tval = the VA, not a page fault; the leaf's physical address is checked
   too; M-mode accesses with MPRV walk as S the same way. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  VM_SETUP
  MAP4K 0, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  MAP4K 1, data_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  MAP4K 2, code_a, PTE_V | PTE_R | PTE_X | PTE_A
  MAP4K 3, data_u, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
  MAP4K 4, data_b, PTE_V | PTE_R | PTE_A
  /* entry 0: NAPOT over pt_l0 with no permission */
  NAPOT_ADDR a0, pt_l0, 4096
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_NAPOT
  sfence.vma
  CALL_PRIV PRV_S, s1, b1
s1:
  li s0, VA4K(0)
  TEST_TRAP 1, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  li gp, 2
  bne t6, s0, fail
  TEST_TRAP 3, CAUSE_STORE_ACCESS, sd a0, 0(s0)
  /* (an AMO whose walk fails PMP: store/AMO access fault, in qemu_deviations_vm.S) */
  li s0, VA4K(2)
  TEST_TRAP 5, CAUSE_FETCH_ACCESS, jalr s0
  li gp, 6
  bne t6, s0, fail
  /* the identity gigapage is a leaf in pt_root: no walk through pt_l0, still fine */
  la s0, data_a
  TEST_NOTRAP 7, ld a0, 0(s0)
  ECALL_TO_M b1
b1:
  CHECK_CAUSE 8, CAUSE_ECALL_S
  /* U accesses walk as S as well */
  CALL_PRIV PRV_U, u1, b2
u1:
  li gp, 9
  li s0, VA4K(3)
  li t5, -1
  la tp, 1f
  ld a0, 0(s0)
  j fail
1:
  li t6, CAUSE_LOAD_ACCESS
  bne t5, t6, fail
  ld tp, lit_b2
  ori tp, tp, 1
  ecall
  .align 3
lit_b2: .dword b2
b2:
  /* M with MPRV = 1, MPP = S walks as S */
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, (PRV_S << 11) | MSTATUS_MPRV
  csrs mstatus, t5
  li s0, VA4K(1)
  TEST_TRAP 10, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  li t5, MSTATUS_MPRV
  csrc mstatus, t5
  /* R on the table page: walks work (the PTEs already have A/D, so no PTE write is needed) */
  SET_PMPCFG 0, PMP_NAPOT | PMP_R
  /* entry 1: the leaf's page data_b has no permission: access fault on the final access */
  NAPOT_ADDR a0, data_b, 4096
  csrw pmpaddr1, a0
  SET_PMPCFG 1, PMP_NAPOT
  sfence.vma
  CALL_PRIV PRV_S, s2, b3
s2:
  li s0, VA4K(0)
  TEST_NOTRAP 11, ld a0, 0(s0)
  li gp, 12
  li t6, 0x0a0a0a0a0a0a0a0a
  bne a0, t6, fail
  li s0, VA4K(2)
  li gp, 13
  li a0, 0
  jalr s0
  li t6, 66
  bne a0, t6, fail
  li s0, VA4K(1)
  TEST_TRAP 14, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  li gp, 15
  bne t6, s0, fail
  /* priority: a page fault found during translation beats the access fault of the physical
     access (riscv.md §3.2 synchronous priority): store to the read-only alias of data_b */
  li s0, VA4K(4)
  TEST_TRAP 18, CAUSE_STORE_PAGE, sd a0, 0(s0)
  TEST_TRAP 19, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  ECALL_TO_M b3
b3:
  /* root table blocked: even S's fetch of its own code (identity gigapage) fails: mret to S
     takes a fetch access fault at the target */
  NAPOT_ADDR a0, pt_root, 4096
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_NAPOT
  sfence.vma
  CLEAR_TRAP
  li gp, 16
  la tp, b4
  ori tp, tp, 1
  GOTO_PRIV PRV_S, s3
s3:
  j fail
b4:
  li t6, CAUSE_FETCH_ACCESS
  bne t5, t6, fail
  CHECK_TRAP_EPC 17, s3
  csrw pmpcfg0, zero
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

  .align 12
code_a:
  li a0, 66
  ret
  .align 12

  .data
  .align 12
data_a:
  .rept 512
  .dword 0x0a0a0a0a0a0a0a0a
  .endr
data_b: .fill 512, 8, 0
data_u: .fill 512, 8, 0
  VM_TABLES
