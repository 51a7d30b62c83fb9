/* The part of <stdlib.h> enclaves use: a heap on top of sbrk (OCALL_SBRK, PGL §2.3 id 4). */
#ifndef _EAPP_STDLIB_H
#define _EAPP_STDLIB_H
#include <stddef.h>
void* malloc(size_t size);
void* calloc(size_t nmemb, size_t size);
void* realloc(void* ptr, size_t size);
void free(void* ptr);
int abs(int x);
long labs(long x);
unsigned long strtoul(const char* restrict s, char** restrict end, int base);
#endif
