/* recipes/dropbear/localoptions-server.h - dropbear's compile-time options for the
 * rescue layer's SSH server (copied into the source tree as localoptions.h by ./build; see
 * default_options.h for every option).
 *
 * Logins: public keys only (root's ~/.ssh/authorized_keys, which the rescue
 * layer's S50sshd fills from a site layer); password and PAM authentication
 * are compiled out, not just switched off. Authorized-keys options
 * (command=, from=, no-pty, ...) are kept: a site may restrict a key.
 * User keys: ed25519, ECDSA (nistp256/384/521) and RSA (rsa-sha2-256/512, not
 * the SHA-1 "ssh-rsa"), what people's existing keys are. Host keys: the
 * layer generates an ed25519 one at boot (fast even on old CPUs); the
 * server could use ECDSA or RSA host keys a site layer ships.
 * Kex: curve25519 and ECDH (nistp), DH group14-sha256 for old clients.
 * Ciphers: chacha20-poly1305, aes128/256-ctr with hmac-sha2-256/512.
 * Forwarding: local (-L) and remote (-R) TCP forwarding stay (a rescuer may
 * need to reach a service behind the machine); agent and X11 forwarding are
 * left out. No client parts, no motd, no SFTP server (OpenSSH's scp -O, or
 * `ssh host cat`/tar, copy files; dropbear's scp is installed for scp -O). */
#define DROPBEAR_X11FWD 0
#define DROPBEAR_SVR_LOCALTCPFWD 1
#define DROPBEAR_SVR_REMOTETCPFWD 1
#define DROPBEAR_SVR_AGENTFWD 0
#define DROPBEAR_CLI_LOCALTCPFWD 0
#define DROPBEAR_CLI_REMOTETCPFWD 0
#define DROPBEAR_CLI_AGENTFWD 0
#define DROPBEAR_CLI_PROXYCMD 0
#define DROPBEAR_CLI_NETCAT 0
#define DROPBEAR_USER_ALGO_LIST 0

#define DROPBEAR_AES128 1
#define DROPBEAR_AES256 1
#define DROPBEAR_3DES 0
#define DROPBEAR_CHACHA20POLY1305 1
#define DROPBEAR_ENABLE_CTR_MODE 1
#define DROPBEAR_ENABLE_CBC_MODE 0
#define DROPBEAR_ENABLE_GCM_MODE 0
#define DROPBEAR_SHA1_HMAC 0
#define DROPBEAR_SHA2_256_HMAC 1
#define DROPBEAR_SHA2_512_HMAC 1
#define DROPBEAR_SHA1_96_HMAC 0

#define DROPBEAR_RSA 1
#define DROPBEAR_RSA_SHA1 0
#define DROPBEAR_DSS 0
#define DROPBEAR_ECDSA 1
#define DROPBEAR_ED25519 1
#define DROPBEAR_SK_KEYS 0

#define DROPBEAR_DH_GROUP14_SHA1 0
#define DROPBEAR_DH_GROUP14_SHA256 1
#define DROPBEAR_DH_GROUP16 0
#define DROPBEAR_CURVE25519 1
#define DROPBEAR_ECDH 1
#define DROPBEAR_DH_GROUP1 0
#define DROPBEAR_DH_GROUP1_CLIENTONLY 0

#define DO_HOST_LOOKUP 0
#define DO_MOTD 0
#define DROPBEAR_SVR_PASSWORD_AUTH 0
#define DROPBEAR_SVR_PAM_AUTH 0
#define DROPBEAR_SVR_PUBKEY_AUTH 1
#define DROPBEAR_SVR_PUBKEY_OPTIONS 1
#define DROPBEAR_SVR_MULTIUSER 1
#define DROPBEAR_CLI_PASSWORD_AUTH 0
#define DROPBEAR_CLI_PUBKEY_AUTH 0
#define DROPBEAR_USE_PASSWORD_ENV 0
#define DROPBEAR_SFTPSERVER 0
#define DROPBEAR_PIDFILE "/run/dropbear.pid"
#define DEFAULT_PATH "/usr/sbin:/usr/bin:/sbin:/bin"
#define DEFAULT_ROOT_PATH "/usr/sbin:/usr/bin:/sbin:/bin"
