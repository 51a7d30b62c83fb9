/* Sv39 translation (riscv.md §3.3, §3.8): 4 KiB pages, 2 MiB and 1 GiB superpages (the low VPNs
   pass through), aliases, a misaligned access spanning two pages, fetch through a translated alias,
   M-mode never translated, satp read-back, and remapping made visible by sfence.vma (all, by VA,
   by ASID, by VA and ASID), for data and for instruction fetch. */
#include "test_macros.h"
  .option norvc

#define SUPER2M_PA 0x80200000

TEST_MAIN
  csrw mie, zero
  VM_SETUP
  MAP4K 0, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  MAP4K 1, data_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  MAP4K 2, data_a, PTE_V | PTE_R | PTE_A                 /* read-only alias of data_a */
  /* 2 MiB leaf: pt_l1[1] maps VA 0x40200000 -> PA 0x80200000 */
  la a0, pt_l1
  li a1, SUPER2M_PA
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a2, 8(a0)
  /* 1 GiB leaf: root[3] maps VA 0xC0000000 -> PA 0x80000000, RX only */
  la a0, pt_root
  li a1, 0x80000000
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_X | PTE_A
  sd a2, 24(a0)
  sfence.vma
  li a0, SUPER2M_PA + 0x1238
  li a1, 0x2222222222222222
  sd a1, 0(a0)
  /* satp reads back */
  li gp, 1
  csrr a0, satp
  la a1, pt_root
  srli a1, a1, 12
  li t6, SATP_SV39
  or a1, a1, t6
  bne a0, a1, fail
  /* M-mode is never translated: VA_BASE as a physical address has no device */
  li s0, VA_BASE
  TEST_TRAP 2, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  CALL_PRIV PRV_S, s_main, back
s_main:
  /* --- 4 KiB page */
  li gp, 3
  li s0, VA4K(0)
  ld a0, 0(s0)
  li t6, 0x1111111111111111
  bne a0, t6, fail
  li gp, 4
  li a1, 0x0123456789abcdef
  sd a1, 8(s0)
  la a2, data_a                 /* identity mapping sees the same memory */
  ld a0, 8(a2)
  bne a0, a1, fail
  /* --- alias: the read-only view of data_a sees the store */
  li gp, 5
  li s1, VA4K(2)
  ld a0, 8(s1)
  bne a0, a1, fail
  /* --- page offset passes through, second page */
  li gp, 6
  li s1, VA4K(1)
  lw a0, 0x7f4(s1)
  li t6, 0x33333333
  bne a0, t6, fail
  /* --- misaligned doubleword spanning VA4K(0) and VA4K(1) (different physical pages) */
  li gp, 7
  li s1, VA4K(1) - 4
  ld a0, 0(s1)
  li t6, 0x4444444455555555
  bne a0, t6, fail
  /* --- 2 MiB superpage: VA 0x40201238 -> PA 0x80201238 */
  li gp, 8
  li s1, 0x40200000 + 0x1238
  ld a0, 0(s1)
  li t6, 0x2222222222222222
  bne a0, t6, fail
  /* --- 1 GiB superpage: VA 0xC0000000 + (data_a - 0x80000000) */
  li gp, 9
  la a2, data_a
  li t6, 0x40000000
  add a2, a2, t6
  ld a0, 0(a2)
  li t6, 0x1111111111111111
  bne a0, t6, fail
  /* --- fetch through the 1 GiB alias: call get42 at its alias address */
  li gp, 10
  la a2, get42
  li t6, 0x40000000
  add a2, a2, t6
  li a0, 0
  jalr ra, 0(a2)
  li t6, 42
  bne a0, t6, fail
  /* --- remap VA4K(0) to data_b; sfence.vma by VA makes it visible */
  li gp, 11
  MAP4K 0, data_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  li s0, VA4K(0)
  sfence.vma s0, zero
  lw a0, 0x7f4(s0)
  li t6, 0x33333333
  bne a0, t6, fail
  /* --- switching satp to a second root (with sfence.vma) switches the mapping */
  li gp, 28
  la a0, pt_root2
  la a1, pt_root
  ld a2, 16(a1)                  /* same identity gigapage */
  sd a2, 16(a0)
  la a1, pt_l1b
  MAKE_PTE a2, a1, PTE_V
  sd a2, 8(a0)
  la a0, pt_l1b
  la a1, pt_l0b
  MAKE_PTE a2, a1, PTE_V
  sd a2, 0(a0)
  la a0, pt_l0b
  la a1, data_b
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a2, 8(a0)                   /* VA4K(1) -> data_b in the second space */
  la a1, data_a
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a2, 0(a0)                   /* VA4K(0) -> data_a */
  csrr s3, satp
  la a0, pt_root2
  srli a0, a0, 12
  li t6, SATP_SV39
  or a0, a0, t6
  csrw satp, a0
  sfence.vma
  ld a0, 0(s0)                   /* VA4K(0) -> data_a in the second space too */
  li t6, 0x1111111111111111
  bne a0, t6, fail
  li gp, 29
  li s1, VA4K(2)                 /* mapped in the first space only */
  TEST_TRAP 29, CAUSE_LOAD_PAGE, ld a0, 0(s1)
  csrw satp, s3
  sfence.vma
  li gp, 30
  ld a0, 0(s1)
  li t6, 0x1111111111111111
  bne a0, t6, fail
  /* --- and back with sfence.vma x0, x0 */
  li gp, 12
  MAP4K 0, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sfence.vma zero, zero
  ld a0, 0(s0)
  li t6, 0x1111111111111111
  bne a0, t6, fail
  /* --- unmap (V = 0) + sfence.vma: page fault */
  li gp, 13
  la a0, pt_l0
  sd zero, 0(a0)
  sfence.vma zero, zero
  TEST_TRAP 14, CAUSE_LOAD_PAGE, ld a0, 0(s0)
  li gp, 15
  bne t6, s0, fail               /* mtval (not delegated) = the VA */
  /* --- sfence.vma with an ASID operand (ASID 0, the current one) flushes non-global entries */
  li gp, 20
  MAP4K 0, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  li a3, 0                       /* rs2 != x0 holding ASID 0 */
  sfence.vma zero, a3
  ld a0, 0(s0)
  li t6, 0x1111111111111111
  bne a0, t6, fail
  li gp, 21
  MAP4K 0, data_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sfence.vma s0, a3              /* one VA in one ASID */
  lw a0, 0x7f4(s0)
  li t6, 0x33333333
  bne a0, t6, fail
  /* --- sfence.vma invalidates fetch translations too: remap a code page, jump again */
  li gp, 22
  MAP4K 5, code1, PTE_V | PTE_R | PTE_X | PTE_A
  sfence.vma
  li s1, VA4K(5)
  jalr s1
  li t6, 1
  bne a0, t6, fail
  li gp, 23
  MAP4K 5, code2, PTE_V | PTE_R | PTE_X | PTE_A
  sfence.vma s1, zero
  jalr s1
  li t6, 2
  bne a0, t6, fail
  /* --- code written through a data alias (another VA of the same page) and fetched through the
     code VA after fence.i: the new instruction runs (riscv.md §3.8 FENCE.I) */
  li gp, 26
  MAP4K 6, code2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sfence.vma
  li s1, VA4K(5)                 /* code2, executable */
  li s2, VA4K(6)                 /* code2, writable */
  li a1, 0x00700513              /* addi a0, zero, 7 */
  sw a1, 0(s2)
  fence.i
  jalr s1
  li t6, 7
  bne a0, t6, fail
  li gp, 27
  li a1, 0x00800513              /* addi a0, zero, 8 */
  sw a1, 0(s2)
  fence.i
  jalr s1
  li t6, 8
  bne a0, t6, fail
  /* --- the upper half of the address space: root[511] maps VA 0xffffffffc0000000 -> PA
     0x80000000 (1 GiB, RX); it must not alias VAs that share the low 39 bits */
  li gp, 31
  la a0, pt_root
  li a1, 0x80000000
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_X | PTE_A
  li t6, 511 * 8
  add a0, a0, t6
  sd a2, 0(a0)
  sfence.vma
  la a2, data_a
  li t6, 0xffffffff40000000          /* VA = PA + (0xffffffffc0000000 - 0x80000000) */
  add a2, a2, t6
  ld a0, 0(a2)
  li t6, 0x1111111111111111
  bne a0, t6, fail
  li gp, 32
  la a2, get42
  li t6, 0xffffffff40000000
  add a2, a2, t6
  li a0, 0
  jalr a2
  li t6, 42
  bne a0, t6, fail
  /* same low 39 bits as a cached canonical VA (VA4K(0)), bit 39 set: non-canonical */
  li s1, VA4K(0) | 0x0000008000000000
  TEST_TRAP 33, CAUSE_LOAD_PAGE, ld a0, 0(s1)
  /* canonical, upper half, root[257] (unmapped) with the same VPN[1:0] as VA4K(0) */
  li s1, VA4K(0) | 0xffffff8000000000
  TEST_TRAP 34, CAUSE_LOAD_PAGE, ld a0, 0(s1)
  /* --- sfence.vma with an invalid (non-canonical) VA: no effect, no exception (riscv.md §3.8) */
  li a3, 0x0000008000000000
  TEST_NOTRAP 24, sfence.vma a3, zero
  li a3, 0x8000000000000000
  TEST_NOTRAP 25, sfence.vma a3, zero
  ECALL_TO_M back
back:
  CHECK_CAUSE 16, CAUSE_ECALL_S
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

get42:
  li a0, 42
  ret

  .align 12
code1:
  li a0, 1
  ret
  .align 12
code2:
  li a0, 2
  ret
  .align 12

  .bss
  .align 12
pt_root2: .skip 4096
pt_l1b:   .skip 4096
pt_l0b:   .skip 4096

  .data
  .align 12
data_a:
  .dword 0x1111111111111111
  .fill 4092 - 8, 1, 0
  .word 0x55555555
data_b:
  .word 0x44444444
  .fill 0x7f4 - 4, 1, 0
  .word 0x33333333
  .fill 4096 - 0x7f4 - 4, 1, 0
  VM_TABLES
