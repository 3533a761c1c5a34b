namespace MedNetPortal.EndToEndTests;
internal static class Placeholder;
