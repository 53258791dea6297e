/** The props every construct that creates one named Azure resource takes (AVM-style uniform interface). */
export interface AzureResourceProps {
  /** Azure resource name. */
  readonly name: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  readonly resourceGroupName: string;
  /** Tags applied to the resource (the stack passes the standard set). */
  readonly tags: Record<string, string>;
}
