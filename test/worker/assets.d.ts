// Binary fixtures imported into workerd tests as data URLs (Vite's `?inline`), since there is no file system there.
declare module "*.jpg?inline" {
  const dataUrl: string;
  export default dataUrl;
}
declare module "*.png?inline" {
  const dataUrl: string;
  export default dataUrl;
}
