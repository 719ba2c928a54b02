export { KEY_KINDS, isKeyKind, generateKey, hashKey, keyHint, randomString, type KeyKind } from './key-format';
export { readKeyFile, writeKeyFile, keyFilePath, KEY_FILE_NAME, type KeyRing, type RetiredSecret } from './key-file';
