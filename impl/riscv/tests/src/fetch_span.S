/* Instructions that straddle a page boundary (issue 3: decode cache keyed by physical address;
   riscv.md §3.8): in M (bare), a 32-bit instruction whose halves lie on two physical pages, then its
   second half rewritten + fence.i; under Sv39, the second half comes from the physical page the
   *next virtual page* maps to (not the physically next page), follows a remap + sfence.vma, and
   follows a store + fence.i. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* --- bare: span_m ends with the low half of addi a0, zero, 7; the next page starts with its
     high half, then ret */
  li gp, 1
  la s0, span_m + 4096 - 2
  li a0, 0
  jalr s0
  li t6, 7
  bne a0, t6, fail
  li gp, 2
  la s1, span_m + 4096
  li a1, 0x0090                       /* high half of addi a0, zero, 9 */
  sh a1, 0(s1)
  fence.i
  li a0, 0
  jalr s0
  li t6, 9
  bne a0, t6, fail
  /* --- Sv39: VA4K(0) -> page_lo (ends with low half 0x0513), VA4K(1) -> page_hi7 (starts with
     0x0070 = high half for a0 = 7); the page physically after page_lo is page_hi8 (0x0080) */
  VM_SETUP
  MAP4K 0, page_lo, PTE_V | PTE_R | PTE_X | PTE_A
  MAP4K 1, page_hi7, PTE_V | PTE_R | PTE_X | PTE_A
  MAP4K 2, page_hi7, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D    /* writable alias */
  sfence.vma
  CALL_PRIV PRV_S, s_main, back
s_main:
  li gp, 3
  li s0, VA4K(1) - 2
  li a0, 0
  jalr s0
  li t6, 7
  bne a0, t6, fail
  /* remap the second page to page_hi6 (0x0060: a0 = 6) */
  li gp, 4
  MAP4K 1, page_hi6, PTE_V | PTE_R | PTE_X | PTE_A
  sfence.vma
  li a0, 0
  jalr s0
  li t6, 6
  bne a0, t6, fail
  /* back to page_hi7, then rewrite its first halfword through its writable alias VA4K(2):
     0x0050 (a0 = 5) */
  li gp, 5
  MAP4K 1, page_hi7, PTE_V | PTE_R | PTE_X | PTE_A
  sfence.vma
  li a0, 0
  jalr s0
  li t6, 7
  bne a0, t6, fail
  li gp, 6
  li s1, VA4K(2)
  li a1, 0x0050
  sh a1, 0(s1)
  fence.i
  li a0, 0
  jalr s0
  li t6, 5
  bne a0, t6, fail
  ECALL_TO_M back
back:
  CHECK_CAUSE 7, CAUSE_ECALL_S
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

  .data
  .align 12
span_m:
  .fill 4094, 1, 0
  .hword 0x0513                       /* addi a0, zero, 7 = 0x00700513 */
  .hword 0x0070
  ret
  .align 12
page_lo:
  .fill 4094, 1, 0
  .hword 0x0513
page_hi8:                              /* physically after page_lo */
  .hword 0x0080
  ret
  .align 12
page_hi7:
  .hword 0x0070
  ret
  .align 12
page_hi6:
  .hword 0x0060
  ret
  .align 12
  VM_TABLES
