namespace MedNetPortal.UnitTests;
internal static class Placeholder;
