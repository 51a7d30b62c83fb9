/* sbrk through OCALL_SBRK (PGL §2.3 id 4): the monitor wants a signed multiple of 4 KiB and
 * answers with the NEW heap top; sbrk(0) returns the current top without leaving the enclave. */
#include "eapp.h"
#include "ocall.h"

void* sbrk(long size) { return (void*)EAPP_OCALL(OCALL_SBRK, size); }
