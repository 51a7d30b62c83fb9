/* ipc (seed 003 IPC tutorial, enclave side; PGL SDK demo/relay-page): a0/a1 = host shm (shared, both
 * sides see it at once), a3/a4 = relay (Schrödinger) pages owned by the enclave while it runs
 * (PGL §4.7, §4.10). Writes the relay sum into shm word 0 and the shm sum into relay word 0, hands
 * the relay pages back (OCALL_RETURN_RELAY_PAGE: the host may edit them and re-run), then reads
 * them again and returns their new sum. */
#include "eapp.h"
#include "print.h"

static unsigned long sum_ints(const int* p, unsigned long bytes) {
  unsigned long sum = 0;
  for (unsigned long i = 0; p && i < bytes / sizeof(int); i++) sum += (unsigned int)p[i];
  return sum;
}

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  int* shm = (int*)args[10];
  unsigned long shm_size = args[11];
  int* relay = (int*)args[13];
  unsigned long relay_size = args[14];
  unsigned long shm_sum = sum_ints(shm, shm_size);
  unsigned long relay_sum = sum_ints(relay, relay_size);
  printf("ipc: shm %p+0x%lx sum 0x%lx, relay %p+0x%lx sum 0x%lx\n", shm, shm_size, shm_sum, relay,
         relay_size, relay_sum);
  if (shm && shm_size >= sizeof(int)) shm[0] = (int)relay_sum;
  if (relay && relay_size >= sizeof(int)) relay[0] = (int)shm_sum;
  if (!relay) EAPP_RETURN(shm_sum);
  int back = eapp_return_relay_page();
  unsigned long after = sum_ints(relay, relay_size);
  printf("ipc: relay page handed back (%d), now sum 0x%lx\n", back, after);
  EAPP_RETURN(after);
}
