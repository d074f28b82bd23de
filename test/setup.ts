import '../src/polyfills';

// The AWS SDK's notice that releases after January 2027 will need Node >= 22 (the SDK's own switch;
// it is a support-policy notice, not an error). Node 20 is supported today; CI also runs Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
