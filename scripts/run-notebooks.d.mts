/** Sets up a work folder: notebooks/ (copies of `names` from `from`, and a link to its data/) and dist -> the repo's dist; returns its path. */
export function prepareWorkdir(names: string[], from?: string): string;
