/* The part of <stdio.h> enclaves use: printf and friends print through the kbuffer (print.h). */
#ifndef _EAPP_STDIO_H
#define _EAPP_STDIO_H
#include "print.h"
int puts(const char* s);
int sprintf(char* restrict buf, const char* restrict fmt, ...);
#endif
