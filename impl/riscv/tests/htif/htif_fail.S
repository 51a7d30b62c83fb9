/* HTIF harness fixture (riscv.md §1): fails at check 5 with one 64-bit store of (5 << 1) | 1. */
#include "test_macros.h"
TEST_MAIN
  li gp, 5
  j fail
