/* vsnprintf: the formatter behind eapp_print/printf (PGL §2.1). Conversions d i u x X o p s c %,
 * flags '-' '0' '+' ' ', width and precision (digits or '*'), length hh h l ll z t j. */
#include <stdarg.h>
#include <stddef.h>
#include "print.h"

struct out {
  char* buf;
  size_t size;
  size_t len; /* characters the full output has so far */
};

static void put(struct out* o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void pad(struct out* o, char c, int n) {
  while (n-- > 0) put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8 };

/* An integer: sign, zero-extension to `prec` digits, padding to `width`. */
static void number(struct out* o, unsigned long long v, int neg, unsigned base, int upper, int flags,
                   int width, int prec, const char* prefix) {
  char digits[24];
  const char* set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int n = 0;
  while (v != 0) {
    digits[n++] = set[v % base];
    v /= base;
  }
  if (prec < 0 && n == 0) digits[n++] = '0';
  char sign = neg ? '-' : (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;
  int plen = 0;
  while (prefix[plen]) plen++;
  int zeros = prec > n ? prec - n : 0;
  int body = n + zeros + plen + (sign ? 1 : 0);
  int fill = width > body ? width - body : 0;
  if (!(flags & F_LEFT) && !((flags & F_ZERO) && prec < 0)) pad(o, ' ', fill);
  if (sign) put(o, sign);
  for (int i = 0; i < plen; i++) put(o, prefix[i]);
  if (!(flags & F_LEFT) && (flags & F_ZERO) && prec < 0) pad(o, '0', fill);
  pad(o, '0', zeros);
  while (n > 0) put(o, digits[--n]);
  if (flags & F_LEFT) pad(o, ' ', fill);
}

static void string(struct out* o, const char* s, int flags, int width, int prec) {
  if (!s) s = "(null)";
  int n = 0;
  while (s[n] && (prec < 0 || n < prec)) n++;
  if (!(flags & F_LEFT)) pad(o, ' ', width - n);
  for (int i = 0; i < n; i++) put(o, s[i]);
  if (flags & F_LEFT) pad(o, ' ', width - n);
}

int vsnprintf(char* restrict buf, size_t size, const char* restrict fmt, va_list ap) {
  struct out o = {buf, size, 0};
  for (const char* p = fmt; *p; p++) {
    if (*p != '%') {
      put(&o, *p);
      continue;
    }
    int flags = 0, width = 0, prec = -1, lng = 0;
    for (;; p++) {
      char f = p[1];
      if (f == '-') flags |= F_LEFT;
      else if (f == '0') flags |= F_ZERO;
      else if (f == '+') flags |= F_PLUS;
      else if (f == ' ') flags |= F_SPACE;
      else break;
    }
    p++;
    if (*p == '*') {
      width = va_arg(ap, int);
      if (width < 0) {
        flags |= F_LEFT;
        width = -width;
      }
      p++;
    } else {
      while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    }
    if (*p == '.') {
      p++;
      prec = 0;
      if (*p == '*') {
        prec = va_arg(ap, int);
        p++;
      } else {
        while (*p >= '0' && *p <= '9') prec = prec * 10 + (*p++ - '0');
      }
    }
    for (;; p++) {
      if (*p == 'l') lng++;
      else if (*p == 'z' || *p == 't' || *p == 'j') lng = 2;
      else if (*p == 'h') lng--;
      else break;
    }
    char c = *p;
    if (c == 0) break;
    if (c == 'd' || c == 'i') {
      long long v = lng >= 1 ? va_arg(ap, long) : va_arg(ap, int);
      if (lng == -1) v = (short)v;
      if (lng <= -2) v = (signed char)v;
      unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
      number(&o, m, v < 0, 10, 0, flags, width, prec, "");
    } else if (c == 'u' || c == 'x' || c == 'X' || c == 'o') {
      unsigned long long v = lng >= 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
      if (lng == -1) v = (unsigned short)v;
      if (lng <= -2) v = (unsigned char)v;
      unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
      number(&o, v, 0, base, c == 'X', flags & ~(F_PLUS | F_SPACE), width, prec, "");
    } else if (c == 'p') {
      unsigned long v = (unsigned long)va_arg(ap, void*);
      number(&o, v, 0, 16, 0, flags & ~(F_PLUS | F_SPACE), width, prec, "0x");
    } else if (c == 's') {
      string(&o, va_arg(ap, const char*), flags, width, prec);
    } else if (c == 'c') {
      char ch[2] = {(char)va_arg(ap, int), 0};
      if (!(flags & F_LEFT)) pad(&o, ' ', width - 1);
      put(&o, ch[0]);
      if (flags & F_LEFT) pad(&o, ' ', width - 1);
    } else if (c == '%') {
      put(&o, '%');
    } else {
      /* unknown conversion: print it as written */
      put(&o, '%');
      put(&o, c);
    }
  }
  if (o.size > 0) o.buf[o.len < o.size ? o.len : o.size - 1] = 0;
  return (int)o.len;
}

int snprintf(char* restrict buf, size_t size, const char* restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int sprintf(char* restrict buf, const char* restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, (size_t)-1 >> 1, fmt, ap);
  va_end(ap);
  return n;
}
