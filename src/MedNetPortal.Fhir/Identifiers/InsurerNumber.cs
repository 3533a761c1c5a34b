namespace MedNetPortal.Fhir.Identifiers;

/// <summary>The insurer number (保険者番号) and its check digit (検証番号).</summary>
public static class InsurerNumber
{
    /// <summary>
    /// Computes the check digit for the digits before it (7 for 8-digit numbers, 5 for 6-digit ones):
    /// weights 2,1,2,1,… from the rightmost digit, digits of each product summed, check = (10 − sum mod 10) mod 10.
    /// </summary>
    /// <param name="digitsWithoutCheck">Half-width ASCII digits only.</param>
    public static int ComputeCheckDigit(ReadOnlySpan<char> digitsWithoutCheck)
    {
        var sum = 0;
        var weight = 2;
        for (var i = digitsWithoutCheck.Length - 1; i >= 0; i--)
        {
            var c = digitsWithoutCheck[i];
            if (c is < '0' or > '9')
            {
                throw new ArgumentException("Only ASCII digits are allowed.", nameof(digitsWithoutCheck));
            }

            var product = (c - '0') * weight;
            sum += (product / 10) + (product % 10);
            weight = weight == 2 ? 1 : 2;
        }

        return (10 - (sum % 10)) % 10;
    }
}
