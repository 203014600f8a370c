// The one function of jStat (a CommonJS module that ships no types) that the report's statistics use.
declare module 'jstat' {
  const jStat: {
    studentt: { inv(p: number, dof: number): number };
  };
  export default jStat;
}
