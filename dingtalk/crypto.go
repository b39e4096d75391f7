package dingtalk

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hetong-go/hetong/internal/aesx"
	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/sign"
)

// ErrOwnerKey is wrapped when a message was encrypted for another app
// (ownerKey is the AppKey for an internal app's event subscription, the
// CorpID for register_call_back, the SuiteKey for ISV apps). It also
// wraps [ErrDecrypt].
var ErrOwnerKey = fmt.Errorf("%w: the message is for another owner key", ErrDecrypt)

// Crypto encrypts, decrypts and signs DingTalk HTTP event callback
// messages (DingCallbackCrypto): AES-256-CBC with IV = key[:16] and
// 32-byte PKCS#7 padding over random16 ‖ uint32 length ‖ message ‖ ownerKey,
// and SHA-1 over the sorted token, timestamp, nonce and ciphertext.
type Crypto struct {
	token  string
	key    []byte
	owner  string
	random io.Reader // source of the 16-byte prefix; nil is crypto/rand
}

// NewCrypto returns a Crypto for the values set in the developer console:
// the callback token, the 43-character EncodingAESKey, and the owner key
// (the AppKey for an internal app's 事件订阅).
func NewCrypto(token, encodingAESKey, ownerKey string) (*Crypto, error) {
	const op = "NewCrypto"
	if strings.TrimSpace(token) == "" {
		return nil, &Error{Op: op, Message: "CallbackConfig.Token: required", Err: ErrInvalidRequest}
	}
	if strings.TrimSpace(ownerKey) == "" {
		return nil, &Error{Op: op, Message: "CallbackConfig.OwnerKey: required (the AppKey for an internal app)", Err: ErrInvalidRequest}
	}
	if len(encodingAESKey) != 43 {
		return nil, &Error{Op: op, Message: "CallbackConfig.EncodingAESKey: must be 43 characters", Err: ErrInvalidRequest}
	}
	key, err := base64.StdEncoding.Strict().DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, &Error{Op: op, Message: "CallbackConfig.EncodingAESKey: not valid base64 for a 32-byte key", Err: ErrInvalidRequest}
	}
	return &Crypto{token: token, key: key, owner: ownerKey}, nil
}

// WithRandom returns a copy of c that draws the 16-byte random prefix of
// [Crypto.Encrypt] from r, so that an encrypted message can be reproduced
// byte for byte (tests, support).
func (c *Crypto) WithRandom(r io.Reader) *Crypto {
	cp := *c
	cp.random = r
	return &cp
}

// Signature returns the lowercase hex SHA-1 of the sorted, concatenated
// token, timestamp, nonce and encrypt: [CallbackSignature] with c's token.
func (c *Crypto) Signature(timestamp, nonce, encrypt string) string {
	return CallbackSignature(c.token, timestamp, nonce, encrypt)
}

// CallbackSignature computes DingTalk's event callback signature
// (msg_signature): the lowercase hex SHA-1 of token, timestamp, nonce and
// encrypt, sorted and concatenated. DingTalk's API requests carry an access
// token rather than a signature, so this is the package's one signature.
func CallbackSignature(token, timestamp, nonce, encrypt string) string {
	return sign.SHA1Hex([]byte(sign.SortedConcat("", token, timestamp, nonce, encrypt)))
}

// Decrypt verifies signature (in constant time) and returns the message.
// Errors wrap [ErrSignature], [ErrDecrypt] or [ErrOwnerKey].
func (c *Crypto) Decrypt(signature, timestamp, nonce, encrypt string) ([]byte, error) {
	if !callback.EqualFold(signature, c.Signature(timestamp, nonce, encrypt)) || signature == "" {
		return nil, ErrSignature
	}
	return c.open(encrypt)
}

// open decrypts and unframes a message without checking a signature.
func (c *Crypto) open(encrypt string) ([]byte, error) {
	ct, err := aesx.DecodeBase64(encrypt)
	if err != nil {
		return nil, ErrDecrypt
	}
	plain, err := aesx.DecryptCBC(c.key, c.key[:16], ct, 32)
	if err != nil || len(plain) < 20 {
		return nil, ErrDecrypt
	}
	n := binary.BigEndian.Uint32(plain[16:20])
	if uint64(n) > uint64(len(plain)-20) {
		return nil, ErrDecrypt
	}
	msg, owner := plain[20:20+n], plain[20+n:]
	if !callback.Equal(string(owner), c.owner) {
		return nil, ErrOwnerKey
	}
	return msg, nil
}

// EncryptedMessage is DingTalk's encrypted envelope, and the JSON a
// callback endpoint replies with.
type EncryptedMessage struct {
	MsgSignature string `json:"msg_signature"`
	TimeStamp    string `json:"timeStamp"`
	Nonce        string `json:"nonce"`
	Encrypt      string `json:"encrypt"`
}

// Encrypt encrypts msg for this owner key and signs it with timestamp and
// nonce (a random nonce when empty).
func (c *Crypto) Encrypt(msg []byte, timestamp, nonce string) (*EncryptedMessage, error) {
	random, err := c.prefix()
	if err != nil {
		return nil, err
	}
	if nonce == "" {
		if nonce, err = sign.Nonce(sign.Alnum, 16); err != nil {
			return nil, err
		}
	}
	enc, err := c.seal(random, msg)
	if err != nil {
		return nil, err
	}
	return &EncryptedMessage{MsgSignature: c.Signature(timestamp, nonce, enc), TimeStamp: timestamp, Nonce: nonce, Encrypt: enc}, nil
}

// prefix returns the 16 random alphanumerics that start a message.
func (c *Crypto) prefix() (string, error) {
	if c.random == nil {
		return sign.Nonce(sign.Alnum, 16)
	}
	p, err := sign.NonceFrom(c.random, sign.Alnum, 16)
	if err != nil {
		return "", fmt.Errorf("dingtalk: random source: %w", err)
	}
	return p, nil
}

// seal frames and encrypts msg with the given 16-byte random prefix.
func (c *Crypto) seal(random string, msg []byte) (string, error) {
	if len(random) != 16 {
		return "", errors.New("dingtalk: random prefix must be 16 bytes")
	}
	var b strings.Builder
	b.Grow(20 + len(msg) + len(c.owner))
	b.WriteString(random)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(msg)))
	b.Write(n[:])
	b.Write(msg)
	b.WriteString(c.owner)
	ct, err := aesx.EncryptCBC(c.key, c.key[:16], []byte(b.String()), 32)
	if err != nil {
		return "", err
	}
	return aesx.EncodeBase64(ct), nil
}
