/* HTIF harness fixture: never writes tohost (runners must time out). */
#include "test_macros.h"
TEST_MAIN
1:
  j 1b
