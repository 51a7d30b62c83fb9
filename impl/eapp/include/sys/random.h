/* getrandom (Penglai's musl maps it to OCALL_GETRANDOM, PGL §2.1, §2.3 id 8): the monitor fills
 * the buffer in place without leaving the enclave and answers with the size. */
#ifndef _EAPP_SYS_RANDOM_H
#define _EAPP_SYS_RANDOM_H
#include <stddef.h>
long getrandom(void* buf, size_t buflen, unsigned int flags);
#endif
