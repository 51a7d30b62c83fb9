/* compute: a long, purely arithmetic loop (no ecalls) that the timer preempts many times
 * (PGL §6.1); the result must not depend on where it was interrupted. 2^20 rounds of a 64-bit LCG
 * mixed into a 64 KiB table (8 MiB of table traffic); prints and returns the checksum. */
#include "eapp.h"
#include "print.h"

#define WORDS 8192UL
#define ROUNDS (1UL << 20)

static unsigned long table[WORDS];

unsigned long checksum(void) {
  unsigned long x = 0x9e3779b97f4a7c15UL, sum = 0;
  for (unsigned long i = 0; i < ROUNDS; i++) {
    x = x * 6364136223846793005UL + 1442695040888963407UL;
    unsigned long j = (x >> 33) & (WORDS - 1);
    table[j] ^= x;
    sum = ((sum << 7) | (sum >> 57)) ^ table[j];
  }
  return sum;
}

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  (void)args;
  unsigned long sum = checksum();
  printf("compute: checksum 0x%lx after %lu rounds\n", sum, ROUNDS);
  EAPP_RETURN(sum);
}
