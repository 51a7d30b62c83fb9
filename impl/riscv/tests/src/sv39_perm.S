/* Sv39 permissions by privilege (riscv.md §3.3, §3.6): U-mode needs U = 1; S-mode data access to
   U pages needs SUM; S-mode never executes from U pages (whatever SUM); MXR makes execute-only
   pages readable; MPRV makes M-mode loads/stores translate and check as MPP (with SUM/MXR), while
   M fetches stay untranslated. */
#include "test_macros.h"
  .option norvc

.macro FAULT n, cause, va, insn:vararg
  li s0, \va
  TEST_TRAP \n, \cause, \insn
  li gp, \n + 100
  bne t6, s0, fail
.endm

.macro LOAD_OK n, va, val
  li gp, \n
  li s0, \va
  ld a0, 0(s0)
  li t6, \val
  bne a0, t6, fail
.endm

#define V_S   VA4K(0)   /* S page, RW */
#define V_U   VA4K(1)   /* U page, RW */
#define V_SX  VA4K(2)   /* S page, execute-only */
#define V_UC  VA4K(3)   /* U page, RX: user code */
#define V_UX  VA4K(4)   /* U page, execute-only */

TEST_MAIN
  csrw mie, zero
  VM_SETUP
  MAP4K 0, data_s, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  MAP4K 1, data_u, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
  MAP4K 2, data_sx, PTE_V | PTE_X | PTE_A
  MAP4K 3, user_page, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
  MAP4K 4, data_ux, PTE_V | PTE_X | PTE_U | PTE_A
  sfence.vma
  li t5, MSTATUS_SUM | MSTATUS_MXR
  csrc mstatus, t5
  CALL_PRIV PRV_S, s_main, back1
s_main:
  LOAD_OK 1, V_S, 0xaaaaaaaaaaaaaaaa
  /* SUM = 0: no data access to U pages */
  FAULT 2, CAUSE_LOAD_PAGE, V_U, ld a0, 0(s0)
  FAULT 3, CAUSE_STORE_PAGE, V_U, sd a0, 0(s0)
  /* SUM = 1: allowed */
  li t5, MSTATUS_SUM
  csrs sstatus, t5
  LOAD_OK 4, V_U, 0x5555555555555555
  li gp, 5
  li s0, V_U
  li a1, 0x5555555555555555
  sd a1, 8(s0)
  /* SUM is checked on every access, not remembered in a cached translation */
  li t5, MSTATUS_SUM
  csrc sstatus, t5
  FAULT 50, CAUSE_LOAD_PAGE, V_U, ld a0, 0(s0)
  li t5, MSTATUS_SUM
  csrs sstatus, t5
  LOAD_OK 51, V_U, 0x5555555555555555
  /* S never executes from a U page, even with SUM = 1 */
  FAULT 6, CAUSE_FETCH_PAGE, V_UC, jalr s0
  /* MXR = 0: execute-only pages are not readable */
  FAULT 7, CAUSE_LOAD_PAGE, V_SX, ld a0, 0(s0)
  /* MXR = 1: they are (for loads; stores still fault) */
  li t5, MSTATUS_MXR
  csrs sstatus, t5
  LOAD_OK 8, V_SX, 0x7777777777777777
  FAULT 9, CAUSE_STORE_PAGE, V_SX, sd a0, 0(s0)
  /* MXR is not remembered either */
  li t5, MSTATUS_MXR
  csrc sstatus, t5
  FAULT 52, CAUSE_LOAD_PAGE, V_SX, ld a0, 0(s0)
  li t5, MSTATUS_MXR
  csrs sstatus, t5
  /* MXR = 1 and SUM = 1: execute-only U page readable */
  LOAD_OK 10, V_UX, 0x6666666666666666
  /* SUM = 0 again: the U page faults even with MXR */
  li t5, MSTATUS_SUM
  csrc sstatus, t5
  FAULT 11, CAUSE_LOAD_PAGE, V_UX, ld a0, 0(s0)
  ECALL_TO_M back1
back1:
  CHECK_CAUSE 12, CAUSE_ECALL_S
  /* --- U-mode, running from its U page at V_UC, MXR = 0 */
  li t5, MSTATUS_MXR | MSTATUS_SUM
  csrc mstatus, t5
  li gp, 13
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  la t5, u_main
  la t6, user_page
  sub t5, t5, t6
  li t6, V_UC
  add t5, t5, t6
  csrw mepc, t5
  mret
back2:
  CHECK_CAUSE 30, CAUSE_ECALL_U
  /* --- U with MXR = 1 reads its execute-only page */
  li t5, MSTATUS_MXR
  csrs mstatus, t5
  li gp, 31
  la t5, u_main2
  la t6, user_page
  sub t5, t5, t6
  li t6, V_UC
  add t5, t5, t6
  csrw mepc, t5
  mret
back3:
  CHECK_CAUSE 35, CAUSE_ECALL_U
  li t5, MSTATUS_MXR
  csrc mstatus, t5
  /* --- MPRV: M loads/stores as MPP */
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, (PRV_S << 11) | MSTATUS_MPRV
  csrs mstatus, t5
  LOAD_OK 40, V_S, 0xaaaaaaaaaaaaaaaa
  li gp, 41
  li s0, V_S
  li a1, 0x1234
  sd a1, 16(s0)
  FAULT 42, CAUSE_LOAD_PAGE, V_U, ld a0, 0(s0)     /* SUM = 0 */
  /* the trap set MPP = M, the handler's mret then MPP = U: turn MPRV off to look at physical
     memory, where data_s holds the value stored through V_S */
  li t5, MSTATUS_MPRV
  csrc mstatus, t5
  li gp, 43
  la a2, data_s
  ld a0, 16(a2)
  li t6, 0x1234
  bne a0, t6, fail
  /* MPP = S with SUM = 1 and MXR = 1 */
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, (PRV_S << 11) | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPRV
  csrs mstatus, t5
  LOAD_OK 44, V_U, 0x5555555555555555
  LOAD_OK 45, V_SX, 0x7777777777777777
  /* MPP = U: U pages fine, S pages fault */
  li t5, MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR
  csrc mstatus, t5
  li s0, V_U
  ld s1, 0(s0)
  li s0, V_S
  li t5, -1
  la tp, 1f
  ld a0, 0(s0)
  j fail
1:
  li gp, 46
  li t6, CAUSE_LOAD_PAGE
  bne t5, t6, fail
  li gp, 47
  li t6, 0x5555555555555555
  bne s1, t6, fail
  /* after the handler's mret MPP = U with MPRV still set: clear it */
  li t5, MSTATUS_MPRV
  csrc mstatus, t5
  csrw satp, zero
  sfence.vma
  RVTEST_PASS

/* ------------------------------------------------------------ user code, mapped at V_UC */
  .align 12
user_page:
u_main:
  LOAD_OK 14, V_U, 0x5555555555555555
  li gp, 15
  li s0, V_U
  sd s0, 24(s0)
  FAULT 16, CAUSE_LOAD_PAGE, V_S, ld a0, 0(s0)
  FAULT 17, CAUSE_STORE_PAGE, V_S, sd a0, 0(s0)
  FAULT 18, CAUSE_LOAD_PAGE, V_UX, ld a0, 0(s0)     /* MXR = 0 */
  FAULT 19, CAUSE_FETCH_PAGE, V_S, jalr s0           /* U cannot execute S pages */
  ld s1, u_lit_s_code
  li gp, 20
  li t5, -1
  la tp, 2f
  jalr s1                                            /* identity-mapped code: U = 0 */
  j fail
2:
  li t6, CAUSE_FETCH_PAGE
  bne t5, t6, fail
  ld tp, u_lit_back2
  ori tp, tp, 1
  ecall
u_main2:
  LOAD_OK 32, V_UX, 0x6666666666666666
  FAULT 33, CAUSE_LOAD_PAGE, V_SX, ld a0, 0(s0)     /* MXR does not lift the U check */
  ld tp, u_lit_back3
  ori tp, tp, 1
  ecall
  .align 3
u_lit_back2: .dword back2
u_lit_back3: .dword back3
u_lit_s_code: .dword s_main
  .align 12

  .data
  .align 12
data_s:  .dword 0xaaaaaaaaaaaaaaaa
  .align 12
data_u:  .dword 0x5555555555555555
  .align 12
data_sx: .dword 0x7777777777777777
  .align 12
data_ux: .dword 0x6666666666666666
  .align 12
  VM_TABLES
