/* malloc/calloc/realloc/free on top of sbrk (OCALL_SBRK, PGL §2.3 id 4).
 *
 * Policy (the recorder tests check it):
 * - a block is a 16-byte header {size incl. header, next free} + payload; a request of n bytes
 *   needs ROUND16(n) + 16 bytes, at least 32; free blocks sit in an address-ordered first-fit list
 *   and merge with their neighbours;
 * - when no free block fits, the heap grows by sbrk(ROUNDUP(need - T, 4096)) where T is the size of
 *   the free block that ends at the heap top (0 if none), so the new pages extend that block;
 * - when a free block ending at the heap top would leave at least TRIM_THRESHOLD bytes of whole
 *   pages above ROUNDUP(block + 32, 4096) (or above the block itself if it starts on a page),
 *   they are returned with sbrk(-bytes).
 * The heap is what this allocator got from sbrk; a program that also moves the break itself
 * (Penglai's mem demo) must not shrink it below what malloc holds. */
#include <stddef.h>
#include "eapp.h"
#include "stdlib.h"
#include "string.h"

#define HDR 16UL
#define MIN_BLOCK 32UL
#define PAGE 4096UL
#define TRIM_THRESHOLD (64UL * 1024)
#define MAX_REQUEST (1UL << 40)

struct blk {
  unsigned long size; /* bytes including this header */
  struct blk* next;   /* next free block (free blocks only) */
};

static struct blk* free_list; /* address-ordered */
static unsigned long heap_top; /* end of the memory this allocator got from sbrk */

static unsigned long need_for(size_t n) {
  unsigned long need = ((n + 15) & ~15UL) + HDR;
  return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* Insert b in address order and merge it with its neighbours; returns the merged block. */
static struct blk* insert_free(struct blk* b) {
  struct blk *prev = NULL, *cur = free_list;
  while (cur && cur < b) prev = cur, cur = cur->next;
  b->next = cur;
  if (cur && (char*)b + b->size == (char*)cur) {
    b->size += cur->size;
    b->next = cur->next;
  }
  if (prev && (char*)prev + prev->size == (char*)b) {
    prev->size += b->size;
    prev->next = b->next;
    return prev;
  }
  if (prev) prev->next = b;
  else free_list = b;
  return b;
}

static void remove_free(struct blk* b) {
  struct blk** link = &free_list;
  while (*link && *link != b) link = &(*link)->next;
  if (*link) *link = b->next;
}

static struct blk* top_free_block(void) {
  struct blk* b = free_list;
  while (b && b->next) b = b->next;
  return b && (unsigned long)b + b->size == heap_top ? b : NULL;
}

static int grow(unsigned long need) {
  struct blk* top = top_free_block();
  unsigned long have = top ? top->size : 0;
  unsigned long inc = (need - have + PAGE - 1) & ~(PAGE - 1);
  unsigned long new_top = (unsigned long)sbrk((long)inc);
  if (new_top == 0 || new_top == (unsigned long)-1 || new_top < inc) return -1;
  struct blk* b = (struct blk*)(new_top - inc);
  b->size = inc;
  heap_top = new_top;
  insert_free(b);
  return 0;
}

void* malloc(size_t n) {
  if (n > MAX_REQUEST) return NULL;
  unsigned long need = need_for(n);
  for (int attempt = 0; attempt < 3; attempt++) {
    struct blk** link = &free_list;
    for (struct blk* b = free_list; b; link = &b->next, b = b->next) {
      if (b->size < need) continue;
      if (b->size - need >= MIN_BLOCK) {
        struct blk* rest = (struct blk*)((char*)b + need);
        rest->size = b->size - need;
        rest->next = b->next;
        *link = rest;
        b->size = need;
      } else {
        *link = b->next;
      }
      b->next = NULL;
      return (char*)b + HDR;
    }
    /* a second growth covers a break moved by someone else (no contiguous top block) */
    if (attempt < 2 && grow(need) != 0) return NULL;
  }
  return NULL;
}

static void trim(struct blk* b) {
  unsigned long start = (unsigned long)b;
  if (start + b->size != heap_top) return;
  unsigned long keep_end = (start & (PAGE - 1)) == 0 ? start : (start + MIN_BLOCK + PAGE - 1) & ~(PAGE - 1);
  if (keep_end >= heap_top || heap_top - keep_end < TRIM_THRESHOLD) return;
  unsigned long release = heap_top - keep_end;
  if (keep_end == start) remove_free(b);
  else b->size = keep_end - start;
  sbrk(-(long)release);
  heap_top = keep_end;
}

void free(void* p) {
  if (!p) return;
  trim(insert_free((struct blk*)((char*)p - HDR)));
}

void* calloc(size_t nmemb, size_t size) {
  if (size && nmemb > MAX_REQUEST / size) return NULL;
  void* p = malloc(nmemb * size);
  if (p) memset(p, 0, nmemb * size);
  return p;
}

void* realloc(void* p, size_t n) {
  if (!p) return malloc(n);
  struct blk* b = (struct blk*)((char*)p - HDR);
  if (b->size >= need_for(n)) return p;
  void* q = malloc(n);
  if (!q) return NULL;
  memcpy(q, p, b->size - HDR);
  free(p);
  return q;
}
