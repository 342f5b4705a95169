using System.Security.Cryptography;
using System.Text;

namespace ScimOrleans.Grains.Security;

/// <summary>
/// Hashes bearer tokens and admin keys (SHA-256: they are long random secrets, so a fast hash is enough) and
/// compares them in constant time.
/// </summary>
public static class SecretHasher
{
    public static string Sha256Hex(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Compares two hex hashes without leaking, through timing, where they first differ.</summary>
    public static bool HashesEqual(string leftHex, string rightHex) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(leftHex), Encoding.ASCII.GetBytes(rightHex));

    /// <summary>A fresh random secret: 32 bytes, base64url, with a prefix that makes leaked tokens easy to grep for.</summary>
    public static string NewSecret(string prefix) =>
        prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => Base64UrlEncode(RandomNumberGenerator.GetBytes(9));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
