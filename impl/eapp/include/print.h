/* Printing through the kbuffer and OCALL_SYS_WRITE (PGL §2.1, §2.3 id 3). */
#ifndef _PRINTF_H
#define _PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Formats %d %i %u %x %X %p %s %c %% (flags 0 -, width, length l ll z) into the kbuffer at
 * 0xffffffe000000000 (at most 511 characters and a NUL), then issues OCALL_SYS_WRITE. */
void eapp_print(const char* s, ...);
int printf(const char* restrict fmt, ...);
int vprintf(const char* restrict fmt, va_list ap);
/* The formatter on its own (no ocall): writes at most size-1 characters and a NUL, returns the
 * length the full output would have. */
int vsnprintf(char* restrict buf, size_t size, const char* restrict fmt, va_list ap);
int snprintf(char* restrict buf, size_t size, const char* restrict fmt, ...);

#endif
