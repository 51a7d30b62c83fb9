/* mem (PGL SDK demo/mem): malloc/calloc/free, an eapp_mmap/eapp_unmap region, and the break moved
 * directly with sbrk (Penglai semantics: sbrk returns the NEW top). Returns the sum of both checks:
 * MMAP_SIZE/8 (a 1 in every word of the mapping) + the bytes between the break before and after
 * the sbrk steps (each word there holds 8). */
#include "eapp.h"
#include "print.h"
#include <stdlib.h>
#include <string.h>

#define MMAP_SIZE (2UL * 1024 * 1024 - 4096) /* + the monitor's metadata page = 2 MiB (PGL §2.3) */

static unsigned long test_malloc(void) {
  char* small = malloc(0x100);
  char* big = calloc(64 * 64 * 3 * 10, sizeof(float));
  unsigned long bad = 0;
  for (int i = 0; i < 64 * 64 * 3 * 10 * 4; i++) bad += big[i]; /* calloc zeroes */
  memset(small, 1, 0x100);
  memset(big, 1, 10);
  free(big);
  char* again = malloc(0x100);
  strcpy(again, "malloc ok");
  printf("mem: %s, small %p, big %p, again %p\n", again, small, big, again);
  free(small);
  free(again);
  return bad;
}

static unsigned long test_mmap(void) {
  unsigned long* nums = eapp_mmap(NULL, MMAP_SIZE);
  if (!nums) return 0;
  unsigned long sum = 0;
  for (unsigned long i = 0; i < MMAP_SIZE / sizeof(unsigned long); i++) nums[i] = 1;
  for (unsigned long i = 0; i < MMAP_SIZE / sizeof(unsigned long); i++) sum += nums[i];
  eapp_unmap(nums, MMAP_SIZE);
  printf("mem: mmap at %p, sum %lu\n", nums, sum);
  return sum;
}

static unsigned long test_sbrk(void) {
  unsigned long* start = sbrk(0);
  unsigned long* top = sbrk(-4096);
  printf("mem: sbrk(0) = %p, sbrk(-4096) = %p\n", start, top);
  top = sbrk(0x4000);
  top = sbrk(0x1000);
  printf("mem: sbrk(0x4000), sbrk(0x1000) -> %p\n", top);
  unsigned long sum = 0;
  for (unsigned long* p = start; p < top; p++) *p = sizeof(unsigned long);
  for (unsigned long* p = start; p < top; p++) sum += *p;
  return sum;
}

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  (void)args;
  if (test_malloc() != 0) EAPP_RETURN(-1UL);
  unsigned long a = test_mmap();
  unsigned long b = test_sbrk();
  printf("mem: mmap check %lu, sbrk check %lu\n", a, b);
  EAPP_RETURN(a + b);
}
