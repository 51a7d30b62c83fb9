/* async-consumer, "B"/"C" of the asynchronous pipeline (PGL §4.7): created under the name an
 * asyn_enclave_call targeted and run with the magic relay argument, it finds every region handed
 * to its name mapped from 0x38_0000_0000 (a3/a4). Sums the ints there and returns the sum. */
#include "eapp.h"
#include "print.h"

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  const int* relay = (const int*)args[13];
  unsigned long size = args[14];
  unsigned long sum = 0;
  for (unsigned long i = 0; relay && i < size / sizeof(int); i++) sum += relay[i];
  printf("async-consumer: relay %p+0x%lx sum 0x%lx\n", relay, size, sum);
  EAPP_RETURN(sum);
}
