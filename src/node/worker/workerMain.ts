// Worker thread entry: receives jobs from the pool and runs them.
export {};
