namespace MedNetPortal.ComponentTests;
internal static class Placeholder;
