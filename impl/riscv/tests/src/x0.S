/* x0 stays 0 whatever writes it (issue 3: every RV64IMAC instruction): lui, auipc, jal, jalr,
   loads, AMOs, LR/SC, CSR reads, M ops and compressed forms with rd = x0 have their other effects
   (memory, CSR, control flow) but leave x0 = 0. */
#include "test_macros.h"
  .option norvc

.macro ZERO n
  li gp, \n
  bnez x0, fail
  add a0, x0, x0
  bnez a0, fail
.endm

TEST_MAIN
  lui x0, 0x12345
  ZERO 1
  auipc x0, 1
  ZERO 2
  jal x0, 1f
  j fail
1:
  ZERO 3
  la a1, 2f
  jalr x0, 0(a1)
  j fail
2:
  ZERO 4
  la s0, buf
  ld x0, 0(s0)
  lw x0, 0(s0)
  lbu x0, 0(s0)
  ZERO 5
  li a1, 5
  amoadd.d x0, a1, (s0)
  ZERO 6
  li gp, 7
  ld a2, 0(s0)
  li t6, 0x100000005
  bne a2, t6, fail
  lr.d x0, (s0)
  sc.d x0, a1, (s0)
  ZERO 8
  li gp, 9
  ld a2, 0(s0)
  bne a2, a1, fail                   /* the SC stored (x0 = its status is dropped) */
  csrr x0, mscratch
  csrrw x0, mscratch, a1
  ZERO 10
  li gp, 11
  csrr a2, mscratch
  bne a2, a1, fail
  mul x0, a1, a1
  div x0, a1, a1
  addiw x0, a1, 1
  sraw x0, a1, a1
  ZERO 12
  .option rvc
  c.nop
  c.add x0, a1                       /* HINT encodings: no effect */
  c.mv x0, a1
  c.li x0, 5
  c.slli x0, 3
  .option norvc
  ZERO 13
  RVTEST_PASS

  .data
  .align 3
buf: .dword 0x100000000
