/* Attestation report and key types (PGL §5.2, SDK lib/app/include/attest.h). Layout: 328 bytes,
 * sm @0 {hash, signature, sm_pub_key}, enclave @160 {hash, signature @192, nonce @256},
 * dev_pub_key @264. */
#ifndef _ENCLAVE_ATTEST_H
#define _ENCLAVE_ATTEST_H

#define PRIVATE_KEY_SIZE 32
#define PUBLIC_KEY_SIZE  64
#define HASH_SIZE        32
#define SIGNATURE_SIZE   64

struct sm_report_t {
  unsigned char hash[HASH_SIZE];
  unsigned char signature[SIGNATURE_SIZE];
  unsigned char sm_pub_key[PUBLIC_KEY_SIZE];
};

struct enclave_report_t {
  unsigned char hash[HASH_SIZE];
  unsigned char signature[SIGNATURE_SIZE];
  unsigned long nonce;
};

struct report_t {
  struct sm_report_t sm;
  struct enclave_report_t enclave;
  unsigned char dev_pub_key[PUBLIC_KEY_SIZE];
};

/* PGL §5.4: key_type of get_key (fid 88). */
enum key_type_t {
  ENCLAVE_KEY = 0,
  STORAGE_KEY,
  ATTEST_KEY
};

#endif
