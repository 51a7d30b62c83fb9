/* Ocall ids (a0 of fid 98) and the kbuffer window (PGL §2.3, §4.6; SDK lib/app/include/ocall.h). */
#ifndef _ENCLAVE_OCALL_H
#define _ENCLAVE_OCALL_H

#define DEFAULT_HEAP_ADDR            0x0000001000000000UL
#define ENCLAVE_DEFAULT_KBUFFER      0xffffffe000000000UL
#define ENCLAVE_DEFAULT_KBUFFER_SIZE 0x1000UL
/* eapp_print writes at most this many bytes (incl. NUL) into the kbuffer (PGL §2.1). */
#define EAPP_PRINT_MAX               512

#define OCALL_MMAP              1
#define OCALL_UNMAP             2
#define OCALL_SYS_WRITE         3
#define OCALL_SBRK              4
#define OCALL_READ_SECT         5
#define OCALL_WRITE_SECT        6
#define OCALL_RETURN_RELAY_PAGE 7
#define OCALL_GETRANDOM         8
#define OCALL_SHM_GET           9
#define OCALL_SHM_DETACH        10
#define OCALL_SHM_DESTROY       11

#endif
