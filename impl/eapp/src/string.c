/* The small libc the demos use (string.h, stdlib.h helpers). Built with
 * -fno-tree-loop-distribute-patterns so gcc does not turn these loops into calls to themselves. */
#include <stddef.h>
#include "string.h"
#include "stdlib.h"

void* memcpy(void* restrict dst, const void* restrict src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  if ((((unsigned long)d | (unsigned long)s) & 7) == 0) {
    for (; n >= 8; n -= 8, d += 8, s += 8) *(unsigned long*)d = *(const unsigned long*)s;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) return memcpy(dst, src, n);
  while (n--) d[n] = s[n];
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = dst;
  if (((unsigned long)d & 7) == 0) {
    unsigned long w = (unsigned char)c * 0x0101010101010101UL;
    for (; n >= 8; n -= 8, d += 8) *(unsigned long*)d = w;
  }
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

size_t strnlen(const char* s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

char* strcpy(char* restrict dst, const char* restrict src) {
  char* d = dst;
  while ((*d++ = *src++)) {
  }
  return dst;
}

char* strncpy(char* restrict dst, const char* restrict src, size_t n) {
  size_t i = 0;
  for (; i < n && src[i]; i++) dst[i] = src[i];
  for (; i < n; i++) dst[i] = 0;
  return dst;
}

int strcmp(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char* a, const char* b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b || !*a) return (unsigned char)*a - (unsigned char)*b;
  }
  return 0;
}

char* strcat(char* restrict dst, const char* restrict src) {
  strcpy(dst + strlen(dst), src);
  return dst;
}

char* strchr(const char* s, int c) {
  for (;; s++) {
    if (*s == (char)c) return (char*)s;
    if (!*s) return NULL;
  }
}

int abs(int x) { return x < 0 ? -x : x; }

long labs(long x) { return x < 0 ? -x : x; }

unsigned long strtoul(const char* restrict s, char** restrict end, int base) {
  while (*s == ' ' || *s == '\t' || *s == '\n') s++;
  if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    base = 16;
  } else if (base == 0) {
    base = s[0] == '0' ? 8 : 10;
  }
  unsigned long v = 0;
  for (;; s++) {
    int d = *s >= '0' && *s <= '9' ? *s - '0'
            : *s >= 'a' && *s <= 'z' ? *s - 'a' + 10
            : *s >= 'A' && *s <= 'Z' ? *s - 'A' + 10
                                     : 99;
    if (d >= base) break;
    v = v * base + d;
  }
  if (end) *end = (char*)s;
  return v;
}
