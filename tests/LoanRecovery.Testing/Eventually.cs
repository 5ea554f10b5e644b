namespace LoanRecovery.Testing;

/// <summary>Waiting for the asynchronous pipeline: polls a condition until it holds or the time is up.</summary>
public static class Eventually
{
    /// <summary>
    /// Whether <paramref name="condition"/> held within <paramref name="timeout"/>. The caller asserts what it needs
    /// afterwards, so a timeout fails on the assertion that names what was missing.
    /// </summary>
    public static async Task<bool> TrueWithinAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(200);
        }
        return true;
    }

    /// <summary>The first non-null result of <paramref name="find"/> within <paramref name="timeout"/>, or null.</summary>
    public static async Task<T?> FoundWithinAsync<T>(Func<T?> find, TimeSpan timeout) where T : class
    {
        T? found = null;
        await TrueWithinAsync(() => Task.FromResult((found = find()) is not null), timeout);
        return found;
    }
}
