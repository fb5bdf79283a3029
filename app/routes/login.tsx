import { data, Form, redirect, useNavigation, useSearchParams } from 'react-router';
import type { Route } from './+types/login';
import { AuthCard, Field, FormError, SubmitButton } from '../components/auth-card';
import { authOf, localPath, requestMetaOf, userOf } from '../context';

export const meta: Route.MetaFunction = () => [{ title: 'Log in · KhaosFlow' }];

export async function loader({ context, request }: Route.LoaderArgs) {
  if (userOf(context)) throw redirect(localPath(new URL(request.url).searchParams.get('next')));
  return { needsSetup: await authOf(context).needsSetup() };
}

export async function action({ context, request }: Route.ActionArgs) {
  const form = await request.formData();
  const email = String(form.get('email') ?? '');
  const password = String(form.get('password') ?? '');
  const result = await authOf(context).login(email, password, requestMetaOf(context));
  if (!result.ok) return data({ error: result.message, email }, { status: result.status });
  throw redirect(localPath(String(form.get('next') ?? '')), { headers: { 'Set-Cookie': result.cookie } });
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  if (loaderData.needsSetup) {
    return (
      <AuthCard title="Set up KhaosFlow">
        <p className="mt-3 text-sm text-slate-600">
          There is no account yet. Open the setup link KhaosFlow printed in its log when it started, or create the owner with{' '}
          <code className="rounded bg-slate-100 px-1">npx khaosflow users create you@example.com</code>.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Log in">
      <Form method="post" className="mt-2">
        <input type="hidden" name="next" value={params.get('next') ?? '/'} />
        <Field label="Email" name="email" type="email" autoComplete="username" defaultValue={actionData?.email ?? ''} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" />
        <FormError message={actionData?.error} />
        <SubmitButton label="Log in" busy={busy} />
      </Form>
    </AuthCard>
  );
}
