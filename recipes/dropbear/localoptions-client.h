/* recipes/dropbear/localoptions-client.h - dropbear's compile-time options for the
 * fbvnc-ssh layer's client (copied into the source tree as localoptions.h by ./build; see
 * default_options.h for every option). A client that holds one port
 * forwarding open: public-key auth with an ed25519 key, ed25519 host keys,
 * curve25519 key exchange, chacha20-poly1305 or aes128-ctr + hmac-sha2-256.
 * Everything else (server parts, agent and X11 forwarding, remote
 * forwarding, proxy commands, netcat mode, multihop, passwords, RSA, DSS,
 * ECDSA, security keys, classic DH) is left out. Every OpenSSH since 6.5
 * (2014) offers all of what is kept. */
#define DROPBEAR_X11FWD 0
#define DROPBEAR_CLI_LOCALTCPFWD 1
#define DROPBEAR_CLI_REMOTETCPFWD 0
#define DROPBEAR_SVR_LOCALTCPFWD 0
#define DROPBEAR_SVR_REMOTETCPFWD 0
#define DROPBEAR_SVR_AGENTFWD 0
#define DROPBEAR_CLI_AGENTFWD 0
#define DROPBEAR_CLI_PROXYCMD 0
#define DROPBEAR_CLI_NETCAT 0
#define DROPBEAR_USER_ALGO_LIST 0

#define DROPBEAR_AES128 1
#define DROPBEAR_AES256 0
#define DROPBEAR_3DES 0
#define DROPBEAR_CHACHA20POLY1305 1
#define DROPBEAR_ENABLE_CTR_MODE 1
#define DROPBEAR_ENABLE_CBC_MODE 0
#define DROPBEAR_ENABLE_GCM_MODE 0
#define DROPBEAR_SHA1_HMAC 0
#define DROPBEAR_SHA2_256_HMAC 1
#define DROPBEAR_SHA2_512_HMAC 0
#define DROPBEAR_SHA1_96_HMAC 0

#define DROPBEAR_RSA 0
#define DROPBEAR_RSA_SHA1 0
#define DROPBEAR_DSS 0
#define DROPBEAR_ECDSA 0
#define DROPBEAR_ED25519 1
#define DROPBEAR_SK_KEYS 0

#define DROPBEAR_DH_GROUP14_SHA1 0
#define DROPBEAR_DH_GROUP14_SHA256 0
#define DROPBEAR_DH_GROUP16 0
#define DROPBEAR_CURVE25519 1
#define DROPBEAR_ECDH 0
#define DROPBEAR_DH_GROUP1 0
#define DROPBEAR_DH_GROUP1_CLIENTONLY 0

#define DO_HOST_LOOKUP 0
#define DO_MOTD 0
#define DROPBEAR_CLI_PASSWORD_AUTH 0
#define DROPBEAR_CLI_PUBKEY_AUTH 1
#define DROPBEAR_USE_PASSWORD_ENV 0
#define DROPBEAR_CLI_ASKPASS_HELPER 0
#define DROPBEAR_SFTPSERVER 0
#define DEFAULT_KEEPALIVE 0

/* ours (patches/tinynetboot-refuse-unknown-hostkey.patch): an unknown host
 * key is refused, never asked about or accepted (not even with -y) */
#define DROPBEAR_CLI_REFUSE_UNKNOWN_HOSTKEY 1
