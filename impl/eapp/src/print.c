/* eapp_print / printf (PGL §2.1, §2.3 id 3): format into the kbuffer page shared with the host,
 * at most EAPP_PRINT_MAX bytes including the NUL, then OCALL_SYS_WRITE asks the host to print it. */
#include <stdarg.h>
#include "eapp.h"
#include "ocall.h"
#include "print.h"

#define KBUFFER ((char*)ENCLAVE_DEFAULT_KBUFFER)

/* Returns the number of characters placed in the kbuffer (output beyond 511 is cut). */
int vprintf(const char* restrict fmt, va_list ap) {
  int n = vsnprintf(KBUFFER, EAPP_PRINT_MAX, fmt, ap);
  EAPP_OCALL(OCALL_SYS_WRITE);
  return n < EAPP_PRINT_MAX ? n : EAPP_PRINT_MAX - 1;
}

void eapp_print(const char* s, ...) {
  va_list ap;
  va_start(ap, s);
  vprintf(s, ap);
  va_end(ap);
}

int printf(const char* restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

int puts(const char* s) { return printf("%s\n", s); }
