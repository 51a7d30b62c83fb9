/* HTIF harness fixture (riscv.md §1): prints "hi\n" through the console device (device 1,
   command 1), waiting each time for fromhost != 0 and tohost == 0; then prints "A" by writing the
   doubleword as two 32-bit halves (the low word alone, 0x41, would read as "fail 32": a watcher
   must wait for the high word), and passes by writing 1 as two halves as well. */
#include "test_macros.h"
TEST_MAIN
  la s0, tohost
  la s1, fromhost
  li a0, 'h'
  call putchar
  li a0, 'i'
  call putchar
  li a0, '\n'
  call putchar
  sd zero, 0(s1)
  li t0, 'A'
  sw t0, 0(s0)          /* low word only: no decision yet */
  li t0, 0x01010000
  sw t0, 4(s0)          /* high word completes 0x0101000000000041: putchar 'A' */
4:
  ld t1, 0(s1)
  beqz t1, 4b
  li t0, 1
  sw t0, 0(s0)
  sw zero, 4(s0)        /* tohost = 1: pass */
1:
  j 1b

putchar:
  li t0, 0x0101000000000000
  or t0, t0, a0
  sd zero, 0(s1)
  sd t0, 0(s0)
2:
  ld t1, 0(s1)
  beqz t1, 2b
3:
  ld t1, 0(s0)
  bnez t1, 3b
  ret
