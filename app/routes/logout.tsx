import { redirect } from 'react-router';
import type { Route } from './+types/logout';
import { authOf, requestMetaOf } from '../context';

// Logging out is a POST (a form in the shell), so no link or image can log anyone out.
export async function action({ context, request }: Route.ActionArgs) {
  const cookie = await authOf(context).logout(request.headers.get('cookie'), requestMetaOf(context));
  throw redirect('/login', { headers: { 'Set-Cookie': cookie } });
}

export function loader() {
  throw redirect('/');
}
