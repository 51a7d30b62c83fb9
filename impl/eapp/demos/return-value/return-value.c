/* return-value, built at -O0 through CFLAGS (as Penglai builds its demos): a main that returns
 * instead of calling EAPP_RETURN; _start passes its int value (sign-extended, as the C ABI leaves
 * it in a0) to EAPP_RETURN (fid 99). Returns 3 * a0 + 1. */
#include "eapp.h"

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  return (int)(args[10] * 3 + 1);
}
