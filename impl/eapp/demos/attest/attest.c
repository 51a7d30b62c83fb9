/* attest: get_report on itself (fid 94, name NULL: the monitor re-measures the enclave, PGL §5.3)
 * and get_key (fid 88, PGL §5.4). With host shm (a0/a1 at entry) the nonce is shm word 0 and the
 * 328-byte report goes to shm+8, the 32-byte ENCLAVE_KEY to shm+336, for the host to verify;
 * without shm the nonce is 0x5eed and nothing is written. Prints the hash; returns 0 if both calls
 * succeeded and the report carries the nonce, else bit 0 = report failed, bit 1 = wrong nonce,
 * bit 2 = key failed. */
#include "eapp.h"
#include "print.h"
#include <string.h>

#define REPORT_OFFSET 8
#define KEY_OFFSET (8 + sizeof(struct report_t))
#define KEY_SIZE 32

static struct report_t report;
static char key[KEY_SIZE];

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  unsigned char* shm = (unsigned char*)args[10];
  unsigned long shm_size = args[11];
  int have_shm = shm && shm_size >= KEY_OFFSET + KEY_SIZE;
  unsigned long nonce = have_shm ? *(unsigned long*)shm : 0x5eed;
  unsigned long status = 0;
  if (get_report(NULL, &report, nonce) != 0) status |= 1;
  if (report.enclave.nonce != nonce) status |= 2;
  if (get_key(ENCLAVE_KEY, key, KEY_SIZE) != 0) status |= 4;
  char hex[2 * HASH_SIZE + 1];
  for (int i = 0; i < HASH_SIZE; i++) snprintf(hex + 2 * i, 3, "%02x", report.enclave.hash[i]);
  printf("attest: nonce 0x%lx hash %s status %lu\n", nonce, hex, status);
  if (have_shm) {
    memcpy(shm + REPORT_OFFSET, &report, sizeof report);
    memcpy(shm + KEY_OFFSET, key, KEY_SIZE);
  }
  EAPP_RETURN(status);
}
